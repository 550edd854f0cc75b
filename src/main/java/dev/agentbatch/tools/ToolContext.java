package dev.agentbatch.tools;

import java.time.Duration;
import java.time.Instant;

/**
 * What a tool knows about the call: who asked, the idempotency key to pass on to any external system,
 * and the moment by which it must have finished.
 */
public record ToolContext(long taskId, int iteration, String toolCallId, String idempotencyKey, Instant deadline) {

    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public static String idempotencyKey(long taskId, int iteration, String toolCallId) {
        return "agent-task-" + taskId + "-it-" + iteration + "-" + toolCallId;
    }
}
