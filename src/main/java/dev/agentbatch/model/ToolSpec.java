package dev.agentbatch.model;

import java.util.Map;

/** A tool as the model sees it: a function with a JSON-schema for its parameters. */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {
}
