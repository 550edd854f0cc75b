package dev.agentbatch.model;

import static dev.agentbatch.config.Columns.TEXT;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/** The model journal: one answer received for (task, iteration), stored the moment it arrived. */
@Entity
@Table(name = "AGENT_MODEL_CALL", uniqueConstraints =
        @UniqueConstraint(name = "AGENT_MODEL_CALL_UK", columnNames = {"TASK_ID", "ITERATION"}))
public class ModelCall {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    public Long id;

    @Column(name = "TASK_ID", nullable = false)
    public long taskId;

    @Column(name = "ITERATION", nullable = false)
    public int iteration;

    @Column(name = "JOB_EXECUTION_ID")
    public Long jobExecutionId;

    @Column(name = "MODEL", length = 200)
    public String model;

    /** The assistant message as JSON ({@link ChatMessage}). */
    @Column(name = "RESPONSE", nullable = false, length = TEXT)
    public String response;

    @Column(name = "PROMPT_TOKENS", nullable = false)
    public long promptTokens;

    @Column(name = "COMPLETION_TOKENS", nullable = false)
    public long completionTokens;

    /** What the request of this call left out to fit the model's context (null: nothing). */
    @Column(name = "CONTEXT_TRIMMED", length = 400)
    public String contextTrimmed;

    @Column(name = "LATENCY_MS", nullable = false)
    public long latencyMs;

    @Column(name = "CREATED_AT", nullable = false)
    public Instant createdAt;
}
