package dev.agentbatch.loop;

import java.util.ArrayList;
import java.util.List;

import dev.agentbatch.model.ToolCall;
import jakarta.batch.api.chunk.ItemProcessor;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** Runs the tool calls of one model turn, in order, each through the tool ledger. */
@Named("toolCallProcessor")
@Dependent
public class ToolCallProcessor implements ItemProcessor {

    @Inject
    ToolInvoker invoker;

    @Override
    public Object processItem(Object item) {
        AgentTurn turn = (AgentTurn) item;
        List<ToolOutcome> outcomes = new ArrayList<>();
        for (ToolCall call : turn.model().message().toolCalls()) {
            outcomes.add(invoker.invoke(turn, call));
        }
        return new ProcessedTurn(turn, outcomes);
    }
}
