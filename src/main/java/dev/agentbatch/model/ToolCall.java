package dev.agentbatch.model;

/** A function call the model asked for; {@code arguments} is the JSON text exactly as the model wrote it. */
public record ToolCall(String id, String name, String arguments) {
}
