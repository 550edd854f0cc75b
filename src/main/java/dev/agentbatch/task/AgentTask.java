package dev.agentbatch.task;

import static dev.agentbatch.config.Columns.TEXT;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One agent task: what was asked, its limits, where it stands, and which job execution of
 * {@code agent-task} carries it. The job listener keeps {@code state} true whoever starts or restarts the job.
 */
@Entity
@Table(name = "AGENT_TASK", indexes = {
        @Index(name = "AGENT_TASK_QUEUE_IDX", columnList = "STATE, PRIORITY, ID"),
        @Index(name = "AGENT_TASK_EXEC_IDX", columnList = "JOB_EXECUTION_ID"),
        @Index(name = "AGENT_TASK_KEY_IDX", columnList = "IDEMPOTENCY_KEY", unique = true)})
public class AgentTask {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    public Long id;

    @Column(name = "INPUT", nullable = false, length = TEXT)
    public String input;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", nullable = false, length = 24)
    public TaskState state = TaskState.PENDING;

    @Column(name = "PRIORITY", nullable = false)
    public int priority = 4;

    @Column(name = "IDEMPOTENCY_KEY", length = 200)
    public String idempotencyKey;

    /** SHA-256 of the submitted body: the same key with another body is a conflict. */
    @Column(name = "REQUEST_HASH", length = 64)
    public String requestHash;

    @Column(name = "MAX_ITERATIONS")
    public Integer maxIterations;

    /** ISO-8601 duration for the whole run, measured from the first start. */
    @Column(name = "DEADLINE", length = 40)
    public String deadline;

    @Column(name = "BUDGET_TOKENS")
    public Long budgetTokens;

    /** Comma-separated allow-list of tool names; null means every tool. */
    @Column(name = "TOOLS", length = 1000)
    public String tools;

    @Column(name = "RESULT", length = TEXT)
    public String result;

    @Column(name = "ERROR", length = 4000)
    public String error;

    @Column(name = "EXIT_STATUS", length = 64)
    public String exitStatus;

    @Column(name = "ITERATIONS", nullable = false)
    public int iterations;

    /** Tool calls that failed permanently (their error went back to the model); counted against the skip limit. */
    @Column(name = "TOOL_FAILURES", nullable = false)
    public int toolFailures;

    @Column(name = "PROMPT_TOKENS", nullable = false)
    public long promptTokens;

    @Column(name = "COMPLETION_TOKENS", nullable = false)
    public long completionTokens;

    @Column(name = "JOB_INSTANCE_ID")
    public Long jobInstanceId;

    @Column(name = "JOB_EXECUTION_ID")
    public Long jobExecutionId;

    @Column(name = "NODE_ID", length = 200)
    public String nodeId;

    /** Incremented by every start and restart; a chunk of an older epoch may not commit. */
    @Column(name = "EPOCH", nullable = false)
    public int epoch;

    /**
     * The tool calls that need a person's approval (normalized, comma-separated: {@code clean_logs},
     * {@code http_request:!GET}); empty: none. Fixed at submission (see {@link dev.agentbatch.approval.ApprovalPolicy}).
     */
    @Column(name = "APPROVAL_REQUIRED", length = 1000)
    public String approvalRequired;

    /** How long a gated call waits for a decision before it is denied (ISO-8601); null: until someone decides. */
    @Column(name = "APPROVAL_TIMEOUT", length = 40)
    public String approvalTimeout;

    /** The model's context, in tokens, for this task (null: the job XML's default, contextTokens). */
    @Column(name = "CONTEXT_TOKENS")
    public Long contextTokens;

    /** The user who submitted it: the ownership rule of {@link dev.agentbatch.security.AccessPolicy}. */
    @Column(name = "SUBMITTED_BY", length = 200)
    public String submittedBy;

    /** When it entered the queue (submission, or a restart request): FIFO within a priority. */
    @Column(name = "QUEUED_AT")
    public Instant queuedAt;

    /** The node that claimed it from the queue, and when: an unstarted claim can be given back. */
    @Column(name = "CLAIMED_BY", length = 200)
    public String claimedBy;

    @Column(name = "CLAIMED_AT")
    public Instant claimedAt;

    /** A stop asked for on any node: the loop reads it at each iteration boundary. */
    @Column(name = "STOP_REQUESTED_AT")
    public Instant stopRequestedAt;

    @Column(name = "CREATED_AT", nullable = false)
    public Instant createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    public Instant updatedAt;

    @Column(name = "STARTED_AT")
    public Instant startedAt;

    @Column(name = "ENDED_AT")
    public Instant endedAt;

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
