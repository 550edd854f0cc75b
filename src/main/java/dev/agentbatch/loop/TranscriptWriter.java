package dev.agentbatch.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.ops.AgentMetrics;
import dev.agentbatch.task.ExitStatus;
import dev.agentbatch.task.TurnRecorder;
import dev.agentbatch.tools.ToolCallRecord;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Appends the iteration (the model's turn and its tool results) to the transcript and updates the task's
 * progress and usage, in the chunk transaction: its commit, with JBeret's checkpoint, is the iteration's commit.
 */
@Named("transcriptWriter")
@Dependent
public class TranscriptWriter extends AbstractItemWriter {

    private static final Logger LOG = Logger.getLogger(TranscriptWriter.class.getName());

    @Inject
    TurnRecorder recorder;
    @Inject
    AgentMetrics metrics;

    @Override
    public void writeItems(List<Object> items) {
        for (Object item : items) {
            write((ProcessedTurn) item);
        }
    }

    private void write(ProcessedTurn processed) {
        AgentTurn turn = processed.turn();
        String prefix = "[task " + turn.taskId() + " exec " + turn.executionId() + "] ";
        List<TurnRecorder.ToolMessage> tools = new ArrayList<>();
        List<ToolCallRecord> inline = new ArrayList<>();
        int failures = 0;
        for (ToolOutcome o : processed.outcomes()) {
            tools.add(new TurnRecorder.ToolMessage(ChatMessage.tool(o.toolCallId(), o.toolName(), o.content()),
                    o.inDoubt(), o.reused()));
            failures += o.failed() ? 1 : 0;
            if (o.inlineRecord() != null) {
                inline.add(o.inlineRecord());
            }
        }
        long tookMs = (System.nanoTime() - turn.startedNanos()) / 1_000_000;
        boolean written = recorder.record(new TurnRecorder.Iteration(turn.taskId(), turn.executionId(), turn.epoch(),
                turn.iteration(), turn.model().message(), turn.replayed(), tookMs, turn.model().usage(), tools, inline,
                failures, !turn.gated().isEmpty()));
        if (!written) {
            throw new AgentFailure(ExitStatus.FENCED, "execution " + turn.executionId() + " no longer owns task "
                    + turn.taskId() + " at epoch " + turn.epoch() + " and iteration " + (turn.iteration() - 1)
                    + ": a newer execution carries it; nothing written");
        }
        turn.written().add(turn.model().message());
        tools.forEach(t -> turn.written().add(t.message()));
        metrics.iteration(java.time.Duration.ofMillis(tookMs), turn.model().usage().promptTokens(),
                turn.model().usage().completionTokens());
        int toolCalls = processed.outcomes().size();
        int failed = failures;
        LOG.info(() -> prefix + "iteration " + turn.iteration() + " committed: "
                + (toolCalls == 0 ? "final answer" : toolCalls + " tool call(s) "
                + processed.outcomes().stream().map(ToolOutcome::toolName).toList()
                + (failed > 0 ? ", " + failed + " failed" : ""))
                + ", tokens " + turn.model().usage().totalTokens() + ", " + tookMs + " ms" + (turn.replayed() ? " (replayed)" : ""));
    }
}
