package dev.agentbatch.task;

import java.time.Instant;

/**
 * Something a follower of a task wants to know: its state changed, or an iteration was committed. Recorded in
 * AGENT_EVENT by {@link EventLog} inside the transaction that made it true, and streamed by every node once that
 * transaction committed ({@link TaskEvents}); {@code id} is the row's id (the SSE event id), null until it is read back.
 */
public record TaskEvent(Long id, String type, long taskId, TaskState state, Integer iteration, Long executionId,
                        String exitStatus, Long totalTokens, String node, Instant at) {

    public static TaskEvent state(long taskId, TaskState state, Long executionId, String exitStatus) {
        return new TaskEvent(null, "state", taskId, state, null, executionId, exitStatus, null, null, Instant.now());
    }

    public static TaskEvent iteration(long taskId, int iteration, long executionId, long tokensThisIteration) {
        return new TaskEvent(null, "iteration", taskId, TaskState.RUNNING, iteration, executionId, null, tokensThisIteration,
                null, Instant.now());
    }

    public boolean isTerminal() {
        return "state".equals(type) && state != null && state.isTerminal();
    }
}
