package dev.agentbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code list [--state S] [--limit N] [--json]}: tasks, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, description = "tasks, newest first")
final class ListCommand extends TaskCommand {

    @Option(names = "--state", paramLabel = "S", converter = Values.State.class,
            description = "only tasks in this state: PENDING, RESTART_PENDING, STARTING, RUNNING, COMPLETED, FAILED "
                    + "or STOPPED")
    String state;

    @Option(names = "--limit", paramLabel = "N", converter = Values.PositiveInt.class, description = "at most N tasks")
    Long limit;

    @Option(names = "--json", description = "print the page as JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode page = api().list(state, limit == null ? null : limit.intValue());
        if (json) {
            ctx().out().println(Json.pretty(page));
        } else {
            TaskPrinter.table(Json.items(page.path("tasks")), ctx().out());
        }
        return ExitCodes.OK;
    }
}
