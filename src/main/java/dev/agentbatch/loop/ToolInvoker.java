package dev.agentbatch.loop;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.approval.Approvals;
import dev.agentbatch.config.Json;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.ops.FaultInjection;
import dev.agentbatch.task.ExitStatus;
import dev.agentbatch.tools.AgentTool;
import dev.agentbatch.tools.ToolCallRecord;
import dev.agentbatch.tools.ToolContext;
import dev.agentbatch.tools.ToolFailure;
import dev.agentbatch.tools.ToolLedger;
import dev.agentbatch.tools.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One tool call, effectively once. A tool with side effects goes through the ledger: a call the ledger has finished
 * is never run again (its stored result is reused); otherwise it is recorded STARTED, run with its idempotency key,
 * and recorded finished, each in a transaction of its own. A tool without side effects (check_disk) simply runs
 * again on a replay, so its ledger row is written with the iteration instead: two commits fewer per call.
 * Unknown or disallowed tools and bad arguments become tool errors the model reads; transient errors are retried.
 */
@ApplicationScoped
public class ToolInvoker {

    private static final Logger LOG = Logger.getLogger(ToolInvoker.class.getName());

    @Inject
    ToolLedger ledger;
    @Inject
    ToolRegistry registry;
    @Inject
    dev.agentbatch.ops.AgentMetrics metrics;
    @Inject
    FaultInjection faults;

    public ToolOutcome invoke(AgentTurn turn, ToolCall call) {
        AgentTool tool;
        try {
            tool = resolve(call, turn);
        } catch (ToolFailure refused) {
            return inlineFailure(turn, call, refused.getMessage(), Instant.now());
        }
        if (turn.isGated(call.id())) {
            return decided(turn, call, tool);
        }
        return tool.hasSideEffects() ? ledgered(turn, call, tool) : inline(turn, call, tool);
    }

    /**
     * A call that needed an approval, decided before the turn was read. Approved: it runs through the ledger like any
     * side effect (whether the tool has one or not: its row is the approval), exactly as it was shown, with its key.
     * Denied or timed out: the model reads the denial as the call's result; not a failure, so not counted as a skip.
     */
    private ToolOutcome decided(AgentTurn turn, ToolCall call, AgentTool tool) {
        ToolCallRecord row = ledger.find(turn.taskId(), turn.iteration(), call.id()).orElse(null);
        if (row == null || row.approval == null || !row.approval.isDecided()) {
            throw new AgentFailure(ExitStatus.FAILED, "execution " + turn.executionId() + ": the gated call " + call.id()
                    + " of iteration " + turn.iteration() + " has no decision; it was not run");
        }
        if (row.approval == ToolCallRecord.Approval.APPROVED) {
            return ledgered(turn, call, tool);
        }
        metrics.toolCall(call.name(), "denied");
        LOG.info(() -> prefix(turn) + "iteration " + turn.iteration() + ": " + call.name() + " (" + call.id() + ") "
                + row.approval + " by " + row.decidedBy + "; not run, the model reads the denial");
        return new ToolOutcome(call.id(), call.name(), Approvals.denial(row), false, false, false, null);
    }

    /**
     * A tool without side effects runs again on any replay: it needs no ledger transactions of its own. Its ledger
     * row (for operators) is written with the iteration, in the chunk transaction.
     */
    private ToolOutcome inline(AgentTurn turn, ToolCall call, AgentTool tool) {
        Instant started = Instant.now();
        try {
            String result = tool.execute(arguments(call), new ToolContext(turn.taskId(), turn.iteration(), call.id(),
                    ToolContext.idempotencyKey(turn.taskId(), turn.iteration(), call.id()), turn.deadline()));
            metrics.toolCall(call.name(), "completed");
            return new ToolOutcome(call.id(), call.name(), result, false, false, false,
                    ToolLedger.record(turn.taskId(), turn.iteration(), call, turn.executionId(), started,
                            ToolCallRecord.State.COMPLETED, result, null));
        } catch (ToolFailure f) {
            if (f.isTransient()) {
                metrics.toolCall(call.name(), "retrying");
                throw new TransientFailure("tool " + call.name() + " failed transiently: " + f.getMessage(), null);
            }
            return inlineFailure(turn, call, f.getMessage(), started);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix(turn) + "tool " + call.name() + " crashed", e);
            return inlineFailure(turn, call, "tool " + call.name() + " crashed: " + e, started);
        }
    }

    private ToolOutcome inlineFailure(AgentTurn turn, ToolCall call, String message, Instant started) {
        metrics.toolCall(call.name(), "failed");
        metrics.skip();
        LOG.info(() -> prefix(turn) + "iteration " + turn.iteration() + ": " + call.name() + " failed: " + message);
        return new ToolOutcome(call.id(), call.name(), errorText(message), false, true, false,
                ToolLedger.record(turn.taskId(), turn.iteration(), call, turn.executionId(), started,
                        ToolCallRecord.State.FAILED, null, message));
    }

    /**
     * A side effect: STARTED and finished in transactions of their own, around the call, by idempotency key. What the
     * ledger says is never weakened: a call whose effect may have happened stays in doubt, and an effect that happened
     * but could not be recorded is retried (in doubt, same key), never reported to the model as a failure.
     */
    private ToolOutcome ledgered(AgentTurn turn, ToolCall call, AgentTool tool) {
        String prefix = prefix(turn);
        var previous = ledger.find(turn.taskId(), turn.iteration(), call.id());
        if (previous.isPresent() && (previous.get().state == ToolCallRecord.State.COMPLETED
                || previous.get().state == ToolCallRecord.State.FAILED)) {
            ToolCallRecord done = previous.get();
            LOG.info(() -> prefix + "iteration " + turn.iteration() + ": " + call.name() + " (" + call.id()
                    + ") already " + done.state + " in the ledger; reusing its result, not running it again");
            boolean failed = done.state == ToolCallRecord.State.FAILED;
            metrics.toolCall(call.name(), "reused");
            return new ToolOutcome(call.id(), call.name(), failed ? errorText(done.error) : done.result, done.inDoubt,
                    failed, true, null);
        }
        ToolCallRecord row;
        try {
            row = ledger.begin(turn.taskId(), turn.epoch(), turn.iteration(), call, turn.executionId(), turn.isGated(call.id()));
        } catch (ToolLedger.Fenced fenced) {
            throw new AgentFailure(ExitStatus.FENCED, "execution " + turn.executionId() + ": " + fenced.getMessage());
        }
        if (row.inDoubt) {
            metrics.toolCallInDoubt(call.name());
            LOG.warning(() -> prefix + "iteration " + turn.iteration() + ": " + call.name() + " (" + call.id()
                    + ") may have had its effect in an earlier attempt: effect in doubt, running again with key "
                    + row.idempotencyKey);
        }
        String result;
        try {
            result = tool.execute(arguments(call), new ToolContext(turn.taskId(), turn.iteration(), call.id(),
                    row.idempotencyKey, turn.deadline()));
        } catch (ToolFailure f) {
            if (f.isTransient()) {
                ToolCallRecord.State state = f.mayHaveHappened() ? ToolCallRecord.State.IN_DOUBT : ToolCallRecord.State.RETRYING;
                finishOrLeaveStarted(turn, row, state, null, f.getMessage());
                metrics.toolCall(call.name(), "retrying");
                throw new TransientFailure("tool " + call.name() + " failed transiently"
                        + (f.mayHaveHappened() ? " (its effect may have happened; the retry uses the same key)" : "")
                        + ": " + f.getMessage(), null);
            }
            finishOrRetry(turn, call, row, ToolCallRecord.State.FAILED, null, f.getMessage());
            metrics.toolCall(call.name(), "failed");
            metrics.skip();
            LOG.info(() -> prefix + "iteration " + turn.iteration() + ": " + call.name() + " failed: " + f.getMessage());
            return new ToolOutcome(call.id(), call.name(), errorText(f.getMessage()), row.inDoubt, true, false, null);
        } catch (RuntimeException e) {
            String message = "tool " + call.name() + " crashed (its effect is unknown): " + e;
            LOG.log(Level.WARNING, prefix + message, e);
            finishOrRetry(turn, call, row, ToolCallRecord.State.FAILED, null, message);
            metrics.toolCall(call.name(), "failed");
            metrics.skip();
            return new ToolOutcome(call.id(), call.name(), errorText(message), row.inDoubt, true, false, null);
        }
        finishOrRetry(turn, call, row, ToolCallRecord.State.COMPLETED, result, null);
        metrics.toolCall(call.name(), "completed");
        return new ToolOutcome(call.id(), call.name(), result, row.inDoubt, false, false, null);
    }

    /**
     * Records how the call ended. When that write fails, the row stays STARTED and the iteration is retried: the call
     * runs again in doubt with the same key, which is what the effect (done or not) calls for. Never "the tool
     * failed" for a call that succeeded.
     */
    private void finishOrRetry(AgentTurn turn, ToolCall call, ToolCallRecord row, ToolCallRecord.State state, String result,
                               String error) {
        try {
            ledger.finish(row.id, turn.executionId(), state, result, error);
            faults.halt(FaultInjection.AFTER_EFFECT, turn.taskId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix(turn) + "iteration " + turn.iteration() + ": " + call.name() + " (" + call.id()
                    + ") ran but its " + state + " could not be recorded; the iteration is retried and the call runs"
                    + " again in doubt with key " + row.idempotencyKey, e);
            String failure = "tool " + call.name() + " ran but its outcome could not be recorded: " + FailureClassifier.describe(e);
            throw DatabaseFailures.isUnavailable(e) ? TransientFailure.databaseUnavailable(failure) : new TransientFailure(failure, null);
        }
    }

    /** On the way to a retry anyway: if the ledger cannot be written the row stays STARTED, which reads as in doubt. */
    private void finishOrLeaveStarted(AgentTurn turn, ToolCallRecord row, ToolCallRecord.State state, String result,
                                      String error) {
        try {
            ledger.finish(row.id, turn.executionId(), state, result, error);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, prefix(turn) + "could not record " + state + " for " + row.toolCallId
                    + "; it stays STARTED, so the retry runs it in doubt", e);
        }
    }

    private static String prefix(AgentTurn turn) {
        return "[task " + turn.taskId() + " exec " + turn.executionId() + "] ";
    }

    private AgentTool resolve(ToolCall call, AgentTurn turn) throws ToolFailure {
        AgentTool tool = registry.find(call.name()).orElseThrow(() -> ToolFailure.permanent(
                "unknown tool '" + call.name() + "'; available: " + allowed(turn)));
        if (turn.allowedTools() != null && !turn.allowedTools().contains(call.name())) {
            throw ToolFailure.permanent("tool '" + call.name() + "' is not allowed for this task; allowed: " + allowed(turn));
        }
        return tool;
    }

    private String allowed(AgentTurn turn) {
        return String.join(", ", turn.allowedTools() != null ? turn.allowedTools() : registry.names());
    }

    static JsonNode arguments(ToolCall call) throws ToolFailure {
        String text = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
        try {
            JsonNode node = Json.parse(text);
            if (!node.isObject()) {
                throw ToolFailure.permanent("arguments of " + call.name() + " must be a JSON object, got: " + abbreviate(text));
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ToolFailure.permanent("arguments of " + call.name() + " are not valid JSON: " + abbreviate(text));
        }
    }

    static String errorText(String message) {
        return Json.write(java.util.Map.of("error", message == null ? "failed" : message));
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
