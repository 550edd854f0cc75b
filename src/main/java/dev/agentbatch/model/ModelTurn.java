package dev.agentbatch.model;

/** What one model call gave: the assistant message and what it cost. */
public record ModelTurn(ChatMessage message, Usage usage) {
}
