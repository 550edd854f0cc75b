package dev.agentbatch.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list [filters] [--sort K] [--page N] [--limit N] [--json]}: tasks, newest first unless sorted otherwise. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = "tasks, newest first; filter by state, exit status, priority, time and text")
final class ListCommand extends TaskCommand {

    @Mixin
    FilterOptions filter = new FilterOptions();

    @Option(names = "--sort", paramLabel = "K", description = "id, state, exitStatus, priority, iterations, tokens, node, "
            + "createdAt or updatedAt; a leading '-' sorts descending (default -id)")
    String sort;

    @Option(names = "--page", paramLabel = "N", converter = Values.PositiveInt.class, description = "page N (from 1) of the list")
    Long page;

    @Option(names = "--limit", paramLabel = "N", converter = Values.PositiveInt.class, description = "at most N tasks (per page)")
    Long limit;

    @Option(names = "--json", description = "print the page as JSON (tasks, total, page, size)")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> query = filter.parameters();
        if (sort != null) {
            query.put("sort", sort);
        }
        if (page != null) {
            query.put("page", Long.toString(page - 1));
        }
        if (limit != null) {
            query.put("limit", limit.toString());
        }
        JsonNode page = api().list(query);
        if (json) {
            ctx().out().println(Json.pretty(page));
        } else {
            TaskPrinter.table(Json.items(page.path("tasks")), ctx().out());
            long total = page.path("total").asLong(-1);
            int shown = page.path("tasks").size();
            if (total > shown) {
                ctx().err().println(shown + " of " + total + " tasks shown (--page, --limit)");
            }
        }
        return ExitCodes.OK;
    }
}
