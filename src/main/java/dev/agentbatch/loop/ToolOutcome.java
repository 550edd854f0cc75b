package dev.agentbatch.loop;

/** What one tool call gave the model, and whether its effect was in doubt or it failed. */
public record ToolOutcome(String toolCallId, String toolName, String content, boolean inDoubt, boolean failed) {
}
