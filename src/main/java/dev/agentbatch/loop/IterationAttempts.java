package dev.agentbatch.loop;

import java.time.Duration;

import jakarta.batch.runtime.context.StepContext;

/**
 * The retries of one iteration, kept in the step's transient user data between the attempts of a chunk. JBeret's own
 * {@code retry-limit} counts the retries of the whole step execution; this count starts again with every iteration,
 * so an iteration gets the job XML's {@code retryLimit} however many iterations came before it.
 * {@link BackoffRetryListener} counts and plans; {@link AgentTurnReader} takes the pause and fails the iteration once
 * it is out of retries. Mutable, confined to the step's thread.
 */
final class IterationAttempts {

    private final int iteration;
    private int retries;
    private Duration pendingPause;
    private Exception exhaustedBy;

    private IterationAttempts(int iteration) {
        this.iteration = iteration;
    }

    /** The attempts of {@code iteration}: those already recorded, or a fresh count when another iteration began. */
    static IterationAttempts of(StepContext step, int iteration) {
        if (step.getTransientUserData() instanceof IterationAttempts a && a.iteration == iteration) {
            return a;
        }
        IterationAttempts fresh = new IterationAttempts(iteration);
        step.setTransientUserData(fresh);
        return fresh;
    }

    /** The attempts of the iteration in flight, or null before the first one was read. */
    static IterationAttempts current(StepContext step) {
        return step.getTransientUserData() instanceof IterationAttempts a ? a : null;
    }

    int iteration() {
        return iteration;
    }

    int retries() {
        return retries;
    }

    /** Counts a retry that will happen after {@code pause}. */
    void retryAfter(Duration pause) {
        retries++;
        pendingPause = pause;
    }

    /** No retry left: the next attempt fails the task instead of calling anyone. */
    void exhausted(Exception lastError) {
        retries++;
        pendingPause = null;
        exhaustedBy = lastError;
    }

    boolean isExhausted() {
        return exhaustedBy != null;
    }

    Exception lastError() {
        return exhaustedBy;
    }

    /** The planned pause, once: null when none is pending. */
    Duration takePause() {
        Duration pause = pendingPause;
        pendingPause = null;
        return pause;
    }
}
