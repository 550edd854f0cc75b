package dev.agentbatch.tools;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool the agent may call. Implementations are CDI beans. A tool with side effects must be idempotent
 * by {@link ToolContext#idempotencyKey()}: after a crash it may be run again with the same key.
 */
public interface AgentTool {

    String name();

    String description();

    /**
     * Whether the call changes the world. Side-effecting calls go through the tool ledger (recorded STARTED and
     * finished in transactions of their own, never run twice, re-run by idempotency key when in doubt); a call
     * without side effects simply runs again on a replay. When unsure, keep the default.
     */
    default boolean hasSideEffects() {
        return true;
    }

    /**
     * What an approval rule may name besides the tool itself ({@code http_request:!GET}): the values {@link
     * #approvalSubject} can return. Empty (the default): a rule names the tool, every call of it.
     */
    default Set<String> approvalSubjects() {
        return Set.of();
    }

    /** The subject of one call (for {@code http_request}, its method), or null when it has none or it is unreadable. */
    default String approvalSubject(JsonNode arguments) {
        return null;
    }

    /** JSON schema of the arguments object. */
    Map<String, Object> parameters();

    /**
     * @return the result the model reads (usually JSON text)
     * @throws ToolFailure when the call failed; {@link ToolFailure#isTransient()} decides retry or report
     */
    String execute(JsonNode arguments, ToolContext context) throws ToolFailure;
}
