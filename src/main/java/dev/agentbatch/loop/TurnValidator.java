package dev.agentbatch.loop;

import java.util.HashSet;
import java.util.Set;

import dev.agentbatch.config.Columns;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.task.ExitStatus;

/**
 * Refuses a model answer that cannot become an iteration, <em>before</em> it is journaled: a journaled answer is
 * replayed by every retry and every restart, so one that cannot be written would fail them all (a poisoned replay).
 * The limits are those of the columns the iteration is written to. Pure.
 */
public final class TurnValidator {

    /** AGENT_TOOL_LEDGER.TOOL_CALL_ID and AGENT_MESSAGE.TOOL_CALL_ID. */
    public static final int MAX_TOOL_CALL_ID = 200;
    /** AGENT_TOOL_LEDGER.TOOL_NAME and AGENT_MESSAGE.TOOL_NAME. */
    public static final int MAX_TOOL_NAME = 100;
    /** One call's arguments; the turn as a whole must also fit AGENT_MESSAGE.TOOL_CALLS. */
    public static final int MAX_ARGUMENTS = 100_000;
    public static final int MAX_TOOL_CALLS = 128;

    private TurnValidator() {
    }

    /** @throws AgentFailure {@code INVALID_MODEL_ANSWER} naming what is wrong */
    public static void validate(ModelTurn turn, int iteration) {
        var message = turn.message();
        if (message.content() != null && message.content().length() > Columns.TEXT) {
            throw invalid(iteration, "its content has " + message.content().length() + " characters, more than " + Columns.TEXT);
        }
        if (message.toolCalls().size() > MAX_TOOL_CALLS) {
            throw invalid(iteration, "it asks for " + message.toolCalls().size() + " tool calls, more than " + MAX_TOOL_CALLS);
        }
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (ToolCall call : message.toolCalls()) {
            if (call.id() == null || call.id().isBlank()) {
                throw invalid(iteration, "a tool call has no id");
            }
            if (call.id().length() > MAX_TOOL_CALL_ID) {
                throw invalid(iteration, "tool call id '" + abbreviate(call.id()) + "' has " + call.id().length()
                        + " characters, more than " + MAX_TOOL_CALL_ID);
            }
            if (!ids.add(call.id())) {
                throw invalid(iteration, "two tool calls have the same id '" + call.id() + "'");
            }
            if (call.name() == null || call.name().isBlank() || call.name().length() > MAX_TOOL_NAME) {
                throw invalid(iteration, "tool call '" + call.id() + "' has no name or a name longer than " + MAX_TOOL_NAME);
            }
            int arguments = call.arguments() == null ? 0 : call.arguments().length();
            if (arguments > MAX_ARGUMENTS) {
                throw invalid(iteration, "the arguments of tool call '" + call.id() + "' have " + arguments
                        + " characters, more than " + MAX_ARGUMENTS);
            }
            total += arguments + call.id().length() + call.name().length() + 64;
        }
        if (total > Columns.TEXT) {
            throw invalid(iteration, "its tool calls take " + total + " characters, more than " + Columns.TEXT);
        }
    }

    private static AgentFailure invalid(int iteration, String why) {
        return new AgentFailure(ExitStatus.INVALID_MODEL_ANSWER, "the model's answer for iteration " + iteration
                + " cannot be used (it is not journaled: a restart asks the model again): " + why);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
