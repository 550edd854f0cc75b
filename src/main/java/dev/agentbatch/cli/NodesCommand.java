package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nodes [--json]}: every node sharing the database, as the database's clock sees it. */
@Command(name = "nodes", mixinStandardHelpOptions = true, sortOptions = false,
        description = "every node sharing the database: heartbeat age, alive or dead, cap, running tasks, joined")
final class NodesCommand extends TaskCommand {

    @Option(names = "--json", description = "print the nodes as JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode page = api().nodes();
        if (json) {
            ctx().out().println(Json.pretty(page));
        } else {
            table(Json.items(page.path("nodes")), ctx().out());
        }
        return ExitCodes.OK;
    }

    static void table(List<JsonNode> nodes, PrintStream out) {
        String format = "%-24s %-6s %-6s %10s %4s %8s  %s%n";
        out.printf(format, "NODE", "STATE", "ALIVE", "HEARTBEAT", "CAP", "RUNNING", "JOINED");
        for (JsonNode n : nodes) {
            out.printf(format, n.path("name").asText() + (n.path("self").asBoolean() ? " *" : ""), n.path("state").asText(),
                    n.path("alive").asBoolean() ? "yes" : "no", n.path("heartbeatAgeMs").asLong() + " ms",
                    n.path("cap").asInt(), n.path("runningTasks").asLong(), n.path("joinedAt").asText());
        }
        if (nodes.isEmpty()) {
            out.println("(no node has joined)");
        }
    }
}
