package dev.agentbatch.loop;

import dev.agentbatch.tools.ToolCallRecord;

/**
 * What one tool call gave the model, and whether its effect was in doubt or it failed.
 *
 * @param reused the result came from the ledger: the tool did not run again
 * @param inlineRecord the ledger row to write with the iteration (calls that needed no ledger transactions), or null
 */
public record ToolOutcome(String toolCallId, String toolName, String content, boolean inDoubt, boolean failed,
                          boolean reused, ToolCallRecord inlineRecord) {
}
