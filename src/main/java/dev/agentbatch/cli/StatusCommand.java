package dev.agentbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code status ID [--json]}: one task in detail; exits by its state. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "one task in detail (exit 1 if it FAILED, 2 if STOPPED)")
final class StatusCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "ID", converter = Values.TaskId.class, description = "the task id")
    long id;

    @Option(names = "--json", description = "print the task JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode task = api().task(id);
        if (json) {
            ctx().out().println(Json.pretty(task));
        } else {
            TaskPrinter.details(task, ctx().out());
        }
        return ExitCodes.forState(Json.text(task.path("state")));
    }
}
