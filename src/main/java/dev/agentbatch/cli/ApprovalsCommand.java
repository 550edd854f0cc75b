package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code approvals [--json]}: the gated tool calls that wait for a decision, oldest first. */
@Command(name = "approvals", mixinStandardHelpOptions = true, sortOptions = false,
        description = "the tool calls that wait for a person's approval: task, call, tool, arguments, the model's reason")
final class ApprovalsCommand extends TaskCommand {

    @Option(names = "--json", description = "print them as JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode page = api().approvals();
        if (json) {
            ctx().out().println(Json.pretty(page));
        } else {
            table(Json.items(page.path("approvals")), ctx().out());
        }
        return ExitCodes.OK;
    }

    static void table(List<JsonNode> approvals, PrintStream out) {
        if (approvals.isEmpty()) {
            out.println("nothing waits for an approval");
            return;
        }
        String format = "%-6s %-16s %-14s %-19s  %-19s  %s%n";
        out.printf(format, "TASK", "CALL", "TOOL", "ASKED", "TIMES OUT", "SUBMITTED BY");
        for (JsonNode a : approvals) {
            out.printf(format, Json.text(a.path("taskId"), "?"), Json.text(a.path("toolCallId"), "?"),
                    Json.text(a.path("toolName"), "?"), TaskPrinter.time(a.path("requestedAt")),
                    a.path("deadline").isNull() || a.path("deadline").isMissingNode() ? "never" : TaskPrinter.time(a.path("deadline")),
                    Json.text(a.path("submittedBy"), "-"));
            out.println("       arguments: " + Json.text(a.path("arguments"), "{}"));
            String reason = Json.text(a.path("reason"));
            if (reason != null && !reason.isBlank()) {
                out.println("       reason:    " + TaskPrinter.oneLine(reason, 200));
            }
            out.println("       task:      " + TaskPrinter.oneLine(Json.text(a.path("input"), ""), 200));
        }
        out.println("decide with: bin/agent-batch approve TASK CALL [--reason TEXT] | deny TASK CALL --reason TEXT");
    }
}
