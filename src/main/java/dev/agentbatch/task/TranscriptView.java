package dev.agentbatch.task;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.tools.ToolCallRecord;

/**
 * {@code GET /api/tasks/{id}/transcript}: the messages, iteration by iteration, each with what committed it (job
 * execution, epoch), and the retries the iterations took.
 */
public record TranscriptView(long taskId, List<Message> messages, List<Retry> retries) {

    /**
     * @param replayed on the model's turn: its answer came from the journal, not paid again
     * @param reused on a tool result: it came from the ledger, the tool did not run again
     * @param inDoubt on a tool result: the effect may have happened in an earlier attempt; it ran again with the same key
     * @param contextTrimmed on the model's turn: what its request left out to fit the model's context (the transcript
     *                       keeps everything)
     */
    public record Message(int iteration, int seq, String role, String content, List<ToolCall> toolCalls,
                          String toolCallId, String toolName, boolean inDoubt, Boolean reused, Boolean replayed,
                          Long executionId, Integer epoch, Long durationMs, Long promptTokens, Long completionTokens,
                          Instant createdAt, Decision decision, String contextTrimmed) {
    }

    /**
     * On the result of a call that needed an approval: who decided, when and why.
     *
     * @param outcome APPROVED, DENIED or TIMED_OUT
     */
    public record Decision(String outcome, String decidedBy, Instant decidedAt, String reason, Instant requestedAt) {
    }

    /** @param delayMs the pause planned before the retry; null when the iteration was out of retries */
    public record Retry(int iteration, int retry, Long delayMs, String cause, Long executionId, Instant at) {
    }

    /** @param decisions the decided gated calls of the task, by "iteration/toolCallId" */
    public static TranscriptView of(long taskId, List<TaskMessage> rows, List<RetryRecord> retries,
                                    Map<String, ToolCallRecord> decisions, Map<Integer, String> contextTrimmed) {
        return new TranscriptView(taskId, rows.stream().map(r -> {
            ChatMessage m = TaskStore.toChatMessage(r);
            ToolCallRecord d = r.toolCallId == null ? null : decisions.get(r.iteration + "/" + r.toolCallId);
            return new Message(r.iteration, r.seq, r.role, r.content, m.toolCalls().isEmpty() ? null : m.toolCalls(),
                    r.toolCallId, r.toolName, r.inDoubt, r.reused, r.replayed, r.jobExecutionId, r.epoch, r.durationMs,
                    r.promptTokens, r.completionTokens, r.createdAt, d == null ? null
                    : new Decision(d.approval.name(), d.decidedBy, d.decidedAt, d.decisionReason, d.approvalRequestedAt),
                    "assistant".equals(r.role) ? contextTrimmed.get(r.iteration) : null);
        }).toList(), retries.stream().map(r -> new Retry(r.iteration, r.retry, r.delayMs, r.cause, r.jobExecutionId,
                r.createdAt)).toList());
    }
}
