package dev.agentbatch.loop;

import java.util.List;

/** An iteration ready to commit: the model's turn and the results of its tool calls, in call order. */
public record ProcessedTurn(AgentTurn turn, List<ToolOutcome> outcomes) {
}
