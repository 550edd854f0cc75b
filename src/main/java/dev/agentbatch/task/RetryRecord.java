package dev.agentbatch.task;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One retry of an iteration: which attempt, the pause planned before it and why. Written by the retry listener in a
 * transaction of its own, so it survives the rollback of the chunk it is about; operators and the transcript read it.
 */
@Entity
@Table(name = "AGENT_RETRY", indexes = @Index(name = "AGENT_RETRY_TASK_IDX", columnList = "TASK_ID, ITERATION"))
public class RetryRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    public Long id;

    @Column(name = "TASK_ID", nullable = false)
    public long taskId;

    @Column(name = "ITERATION", nullable = false)
    public int iteration;

    /** 1 for the first retry of the iteration. */
    @Column(name = "RETRY", nullable = false)
    public int retry;

    /** The pause planned before the retry; null when the iteration was out of retries (no retry followed). */
    @Column(name = "DELAY_MS")
    public Long delayMs;

    @Column(name = "CAUSE", length = 4000)
    public String cause;

    @Column(name = "JOB_EXECUTION_ID")
    public Long jobExecutionId;

    @Column(name = "CREATED_AT", nullable = false)
    public Instant createdAt;
}
