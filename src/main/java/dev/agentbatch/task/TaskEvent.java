package dev.agentbatch.task;

import java.time.Instant;

/**
 * Something a follower of a task wants to know: its state changed, or an iteration was committed. Fired as a
 * CDI event inside the transaction that made it true and delivered only once that transaction committed.
 */
public record TaskEvent(String type, long taskId, TaskState state, Integer iteration, Long executionId,
                        String exitStatus, Long totalTokens, Instant at) {

    public static TaskEvent state(long taskId, TaskState state, Long executionId, String exitStatus) {
        return new TaskEvent("state", taskId, state, null, executionId, exitStatus, null, Instant.now());
    }

    public static TaskEvent iteration(long taskId, int iteration, long executionId, long tokensThisIteration) {
        return new TaskEvent("iteration", taskId, TaskState.RUNNING, iteration, executionId, null, tokensThisIteration,
                Instant.now());
    }

    public boolean isTerminal() {
        return "state".equals(type) && state != null && state.isTerminal();
    }
}
