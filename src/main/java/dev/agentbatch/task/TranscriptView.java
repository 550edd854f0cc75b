package dev.agentbatch.task;

import java.time.Instant;
import java.util.List;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ToolCall;

/** {@code GET /api/tasks/{id}/transcript}: the messages, iteration by iteration. */
public record TranscriptView(long taskId, List<Message> messages) {

    public record Message(int iteration, int seq, String role, String content, List<ToolCall> toolCalls,
                          String toolCallId, String toolName, boolean inDoubt, Instant createdAt) {
    }

    public static TranscriptView of(long taskId, List<TaskMessage> rows) {
        return new TranscriptView(taskId, rows.stream().map(r -> {
            ChatMessage m = TaskStore.toChatMessage(r);
            return new Message(r.iteration, r.seq, r.role, r.content, m.toolCalls().isEmpty() ? null : m.toolCalls(),
                    r.toolCallId, r.toolName, r.inDoubt, r.createdAt);
        }).toList());
    }
}
