package dev.agentbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approve TASK CALL [--reason TEXT]} and {@code deny TASK CALL --reason TEXT}: a decision on a gated tool call.
 * Exit 0 when the decision is recorded; 3 when there is nothing to decide (no such call, or it was decided already:
 * the line says by whom) or the user may not decide (role agent-approver; not on a task they submitted).
 */
abstract class DecisionCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "TASK", converter = Values.TaskId.class, description = "the task id")
    long id;

    @Parameters(index = "1", paramLabel = "CALL", converter = Values.NonBlank.class,
            description = "the tool call id (bin/agent-batch approvals lists them)")
    String toolCallId;

    @Option(names = "--json", description = "print the decision as JSON")
    boolean json;

    abstract String decision();

    abstract String reason();

    @Override
    public Integer call() {
        JsonNode decided = api().decide(id, toolCallId, decision(), reason());
        if (json) {
            ctx().out().println(Json.pretty(decided));
            return ExitCodes.OK;
        }
        ctx().out().println(Json.text(decided.path("decision"), "?").toLowerCase(java.util.Locale.ROOT) + " "
                + Json.text(decided.path("toolName"), "?") + " (" + toolCallId + ") of task " + id + " as "
                + Json.text(decided.path("decidedBy"), "?") + (decided.path("resumed").asBoolean()
                ? "; every call is decided: the task is back in the queue"
                : "; the task still waits for its other gated call(s)"));
        return ExitCodes.OK;
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, sortOptions = false,
            description = "approve a gated tool call: it runs exactly as shown once every call of its turn is decided")
    static final class Approve extends DecisionCommand {

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (recorded with the decision)")
        String reason;

        @Override
        String decision() {
            return "approve";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, sortOptions = false,
            description = "deny a gated tool call: it never runs, and the model reads the reason as its result")
    static final class Deny extends DecisionCommand {

        @Option(names = "--reason", paramLabel = "TEXT", required = true, converter = Values.NonBlank.class,
                description = "why (required: the model reads it)")
        String reason;

        @Override
        String decision() {
            return "deny";
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
