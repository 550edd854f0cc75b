package dev.agentbatch.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bulk restart|stop (ID... | filters) [limits] [--json]}: the single-task actions on many tasks, by ids or by
 * the list's filters (read once by the server, when the request arrives). Each task is checked as its own call would
 * be; one line per task says what happened. Exit 0 when every task was acted on, 1 when any was refused.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true, sortOptions = false,
        description = "restart or stop many tasks: by ids, or every task that matches the filters (e.g. bulk restart "
                + "--state FAILED --text disk)")
final class BulkCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "ACTION", description = "restart or stop")
    String action;

    @Parameters(index = "1..*", paramLabel = "ID", converter = Values.TaskId.class, description = "task ids (or use filters)")
    List<Long> ids;

    @Mixin
    FilterOptions filter = new FilterOptions();

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Option(names = "--json", description = "print the server's answer as JSON")
    boolean json;

    @Override
    public Integer call() {
        if (!"restart".equals(action) && !"stop".equals(action)) {
            throw CliException.usage("bulk needs 'restart' or 'stop', got '" + action + "'");
        }
        Map<String, String> parameters = filter.parameters();
        boolean byIds = ids != null && !ids.isEmpty();
        if (byIds == !parameters.isEmpty()) {
            throw CliException.usage("bulk " + action + " needs task ids or filters (--state, --text, …), not both");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (byIds) {
            body.put("ids", ids);
        } else {
            body.put("filter", parameters);
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        limits.putInto(overrides);
        if (!overrides.isEmpty()) {
            if ("stop".equals(action)) {
                throw CliException.usage("new limits apply to a restart only");
            }
            body.put("overrides", overrides);
        }
        JsonNode result = api().bulk(action, body);
        if (json) {
            ctx().out().println(Json.pretty(result));
        } else {
            for (JsonNode r : result.path("results")) {
                ctx().out().println(r.path("id").asLong() + " " + r.path("status").asInt() + " "
                        + (r.path("problem").isTextual() ? r.path("problem").asText() : r.path("state").asText()));
            }
            ctx().err().println(action + ": " + result.path("succeeded").asInt() + " of " + result.path("requested").asInt()
                    + " task(s) done");
        }
        return result.path("refused").asInt() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
