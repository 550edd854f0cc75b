package dev.agentbatch.loop;

import dev.agentbatch.tools.ToolCallRecord;

/**
 * What one tool call gave the model, and whether its effect was in doubt or it failed.
 *
 * @param inlineRecord the ledger row to write with the iteration (calls that needed no ledger transactions), or null
 */
public record ToolOutcome(String toolCallId, String toolName, String content, boolean inDoubt, boolean failed,
                          ToolCallRecord inlineRecord) {
}
