package dev.agentbatch.loop;

import java.time.Instant;
import java.util.List;

import dev.agentbatch.model.ModelTurn;

/**
 * The item of the chunk: one iteration's model answer, read (or replayed from the journal) by the reader.
 *
 * @param deadline the earlier of the iteration deadline and the run deadline
 * @param allowedTools the task's allow-list, null for every tool
 * @param startedNanos {@link System#nanoTime()} when the iteration began
 */
public record AgentTurn(long taskId, long executionId, int epoch, int iteration, ModelTurn model, boolean replayed,
                        Instant deadline, List<String> allowedTools, long startedNanos) {
}
