package dev.agentbatch.tools;

import static dev.agentbatch.config.Columns.TEXT;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/** The tool ledger: one row per tool call of (task, iteration, tool-call id), written before and after it runs. */
@Entity
@Table(name = "AGENT_TOOL_LEDGER", uniqueConstraints =
        @UniqueConstraint(name = "AGENT_TOOL_LEDGER_UK", columnNames = {"TASK_ID", "ITERATION", "TOOL_CALL_ID"}))
public class ToolCallRecord {

    public enum State {
        /** Recorded before the tool ran; still STARTED after a crash means the effect is in doubt. */
        STARTED,
        /** Ran; RESULT is what the model was given and will be given again on any replay. */
        COMPLETED,
        /** Failed permanently; ERROR was given to the model as the result. */
        FAILED,
        /** Failed transiently before the request left (refused, 429, 503): it did not happen; the chunk is retried. */
        RETRYING,
        /**
         * Failed transiently after the request left (a read timeout, a reset, a 502/504): it may have happened. The
         * retried chunk runs it again, marked in doubt, with the same idempotency key.
         */
        IN_DOUBT,
        /** A gated call waiting for a person's decision ({@link #approval} PENDING): it has not run. */
        AWAITING_APPROVAL,
        /** An ungated call of a turn that waits for an approval: it runs once every gated call of the turn is decided. */
        WAITING,
        /** A gated call a person approved: it runs when the task resumes, exactly as it was shown, with its key. */
        APPROVED,
        /** A gated call denied (by a person, a stop, or its timeout): it never runs; RESULT is the denial the model reads. */
        DENIED
    }

    /** The approval of a gated call; null for a call no approval was asked for. */
    public enum Approval {
        PENDING, APPROVED, DENIED, TIMED_OUT;

        public boolean isDecided() {
            return this != PENDING;
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    public Long id;

    @Column(name = "TASK_ID", nullable = false)
    public long taskId;

    @Column(name = "ITERATION", nullable = false)
    public int iteration;

    @Column(name = "TOOL_CALL_ID", nullable = false, length = 200)
    public String toolCallId;

    @Column(name = "TOOL_NAME", nullable = false, length = 100)
    public String toolName;

    @Column(name = "ARGUMENTS", length = TEXT)
    public String arguments;

    @Column(name = "IDEMPOTENCY_KEY", nullable = false, length = 400)
    public String idempotencyKey;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", nullable = false, length = 24)
    public State state;

    @Column(name = "RESULT", length = TEXT)
    public String result;

    @Column(name = "ERROR", length = 4000)
    public String error;

    @Column(name = "ATTEMPTS", nullable = false)
    public int attempts;

    @Column(name = "IN_DOUBT", nullable = false)
    public boolean inDoubt;

    @Column(name = "JOB_EXECUTION_ID")
    public Long jobExecutionId;

    /** When it last started running; null while it waits for an approval. */
    @Column(name = "STARTED_AT")
    public Instant startedAt;

    @Column(name = "ENDED_AT")
    public Instant endedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "APPROVAL", length = 16)
    public Approval approval;

    /** The execution that reached the gate and asked for the approval. */
    @Column(name = "APPROVAL_EXECUTION_ID")
    public Long approvalExecutionId;

    @Column(name = "APPROVAL_REQUESTED_AT")
    public Instant approvalRequestedAt;

    /** When an undecided approval times out (denied, reason "timed out"); null: it waits until someone decides. */
    @Column(name = "APPROVAL_DEADLINE")
    public Instant approvalDeadline;

    @Column(name = "DECIDED_BY", length = 200)
    public String decidedBy;

    @Column(name = "DECIDED_AT")
    public Instant decidedAt;

    @Column(name = "DECISION_REASON", length = 2000)
    public String decisionReason;
}
