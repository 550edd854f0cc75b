package dev.agentbatch.model;

import java.util.List;

/**
 * One message of the conversation, independent of the SDK: what we store per row and replay to the model.
 * {@code toolCalls} is empty for every message but an assistant turn that calls tools.
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String toolName) {

    public ChatMessage {
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of(), null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, List.of(), null, null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, toolCalls, null, null);
    }

    public static ChatMessage tool(String toolCallId, String toolName, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), toolCallId, toolName);
    }

    /** An assistant message without tool calls is the final answer: it ends the loop. */
    public boolean isFinalAnswer() {
        return role == Role.ASSISTANT && toolCalls.isEmpty();
    }
}
