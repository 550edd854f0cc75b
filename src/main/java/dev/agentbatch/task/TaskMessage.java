package dev.agentbatch.task;

import java.time.Instant;

import static dev.agentbatch.config.Columns.TEXT;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * One message of a task's conversation. Iteration 0 holds the system and user messages; iteration n
 * holds the model's turn (seq 0) and one tool result per tool call (seq 1…). The unique key
 * (task, iteration, seq) is what makes a duplicated iteration impossible, whatever happens above it.
 */
@Entity
@Table(name = "AGENT_MESSAGE", uniqueConstraints =
        @UniqueConstraint(name = "AGENT_MESSAGE_TURN_UK", columnNames = {"TASK_ID", "ITERATION", "SEQ"}))
public class TaskMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    public Long id;

    @Column(name = "TASK_ID", nullable = false)
    public long taskId;

    @Column(name = "ITERATION", nullable = false)
    public int iteration;

    @Column(name = "SEQ", nullable = false)
    public int seq;

    @Column(name = "ROLE", nullable = false, length = 16)
    public String role;

    @Column(name = "CONTENT", length = TEXT)
    public String content;

    /** The assistant's tool calls as a JSON array of {id, name, arguments}. */
    @Column(name = "TOOL_CALLS", length = TEXT)
    public String toolCalls;

    @Column(name = "TOOL_CALL_ID", length = 200)
    public String toolCallId;

    @Column(name = "TOOL_NAME", length = 100)
    public String toolName;

    /** The tool call was found STARTED after a crash and ran again with the same idempotency key. */
    @Column(name = "IN_DOUBT", nullable = false)
    public boolean inDoubt;

    /** The job execution, and its epoch, that committed this message (null for the opening messages). */
    @Column(name = "JOB_EXECUTION_ID")
    public Long jobExecutionId;

    @Column(name = "EPOCH")
    public Integer epoch;

    /** On the model's turn (seq 0): whether the answer was replayed from the journal (not paid again). */
    @Column(name = "REPLAYED")
    public Boolean replayed;

    /** On a tool result: whether it was reused from the ledger instead of running the tool again. */
    @Column(name = "REUSED")
    public Boolean reused;

    /** On the model's turn: the iteration's duration, read to commit, and the tokens of its model call. */
    @Column(name = "DURATION_MS")
    public Long durationMs;

    @Column(name = "PROMPT_TOKENS")
    public Long promptTokens;

    @Column(name = "COMPLETION_TOKENS")
    public Long completionTokens;

    @Column(name = "CREATED_AT", nullable = false)
    public Instant createdAt;
}
