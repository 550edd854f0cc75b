package dev.agentbatch.task;

import java.time.Instant;

/**
 * What the agent loop reads of its task before every model call: who owns it (the epoch), how far it got, what it
 * spent, and whether someone asked it to stop.
 */
public record TaskProgress(int epoch, int iterations, Instant stopRequestedAt, long totalTokens, int toolFailures) {
}
