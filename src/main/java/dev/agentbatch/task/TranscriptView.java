package dev.agentbatch.task;

import java.time.Instant;
import java.util.List;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ToolCall;

/**
 * {@code GET /api/tasks/{id}/transcript}: the messages, iteration by iteration, each with what committed it (job
 * execution, epoch), and the retries the iterations took.
 */
public record TranscriptView(long taskId, List<Message> messages, List<Retry> retries) {

    /**
     * @param replayed on the model's turn: its answer came from the journal, not paid again
     * @param reused on a tool result: it came from the ledger, the tool did not run again
     * @param inDoubt on a tool result: the effect may have happened in an earlier attempt; it ran again with the same key
     */
    public record Message(int iteration, int seq, String role, String content, List<ToolCall> toolCalls,
                          String toolCallId, String toolName, boolean inDoubt, Boolean reused, Boolean replayed,
                          Long executionId, Integer epoch, Long durationMs, Long promptTokens, Long completionTokens,
                          Instant createdAt) {
    }

    /** @param delayMs the pause planned before the retry; null when the iteration was out of retries */
    public record Retry(int iteration, int retry, Long delayMs, String cause, Long executionId, Instant at) {
    }

    public static TranscriptView of(long taskId, List<TaskMessage> rows, List<RetryRecord> retries) {
        return new TranscriptView(taskId, rows.stream().map(r -> {
            ChatMessage m = TaskStore.toChatMessage(r);
            return new Message(r.iteration, r.seq, r.role, r.content, m.toolCalls().isEmpty() ? null : m.toolCalls(),
                    r.toolCallId, r.toolName, r.inDoubt, r.reused, r.replayed, r.jobExecutionId, r.epoch, r.durationMs,
                    r.promptTokens, r.completionTokens, r.createdAt);
        }).toList(), retries.stream().map(r -> new Retry(r.iteration, r.retry, r.delayMs, r.cause, r.jobExecutionId,
                r.createdAt)).toList());
    }
}
