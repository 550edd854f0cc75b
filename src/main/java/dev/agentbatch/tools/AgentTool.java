package dev.agentbatch.tools;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the agent may call. Implementations are CDI beans. A tool with side effects must be idempotent
 * by {@link ToolContext#idempotencyKey()}: after a crash it may be run again with the same key.
 */
public interface AgentTool {

    String name();

    String description();

    /** JSON schema of the arguments object. */
    Map<String, Object> parameters();

    /**
     * @return the result the model reads (usually JSON text)
     * @throws ToolFailure when the call failed; {@link ToolFailure#isTransient()} decides retry or report
     */
    String execute(JsonNode arguments, ToolContext context) throws ToolFailure;
}
