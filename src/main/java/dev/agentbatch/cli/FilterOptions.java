package dev.agentbatch.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The list's filters as options ({@code list} and {@code bulk} share them): each becomes the REST API's parameter of
 * the same meaning, and the server validates the values (a bad one is a usage error with the server's words).
 */
final class FilterOptions {

    @Option(names = "--state", paramLabel = "S", split = ",", converter = Values.State.class,
            description = "only tasks in this state (or these, comma-separated): PENDING, RESTART_PENDING, STARTING, "
                    + "RUNNING, AWAITING_APPROVAL, COMPLETED, FAILED or STOPPED")
    java.util.List<String> states;

    @Option(names = "--exit-status", paramLabel = "X", description = "only tasks with this exit status, e.g. ITERATION_LIMIT")
    String exitStatus;

    @Option(names = "--priority", paramLabel = "P", converter = Values.Priority.class, description = "only tasks of this priority (0-9)")
    Long priority;

    @Option(names = "--text", paramLabel = "WORDS", description = "only tasks whose input contains WORDS (any case)")
    String text;

    @Option(names = "--from", paramLabel = "TIME", description = "updated (or, with --created, created) at or after TIME: "
            + "2026-11-29T07:00:00Z, or a date; without a zone, UTC")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "updated (or created) before TIME")
    String to;

    @Option(names = "--created", description = "--from and --to are about the creation time, not the last update")
    boolean created;

    /** The API's parameters for what was given. */
    Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        if (states != null && !states.isEmpty()) {
            p.put("state", String.join(",", states));
        }
        put(p, "exitStatus", exitStatus);
        put(p, "priority", priority == null ? null : priority.toString());
        put(p, "q", text);
        put(p, "from", from);
        put(p, "to", to);
        if (created) {
            p.put("time", "created");
        }
        return p;
    }

    private static void put(Map<String, String> p, String name, String value) {
        if (value != null && !value.isBlank()) {
            p.put(name, value);
        }
    }
}
