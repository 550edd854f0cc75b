package dev.agentbatch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the client takes from its surroundings, passed in rather than read from
 * {@link System}, so a test runs the whole CLI with its own environment and captured streams.
 *
 * @param interactive whether a person watches a terminal: progress is then rewritten in place
 */
record Context(Map<String, String> env, PrintStream out, PrintStream err, boolean interactive) {

    static final String DEFAULT_URL = "http://127.0.0.1:8080/agent-batch";

    String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code AGENT_BATCH_URL}, else the default shifted by {@code AGENT_BATCH_PORT_OFFSET}. */
    String baseUrl() {
        String url = env("AGENT_BATCH_URL");
        if (url != null) {
            if (!url.matches("https?://.+")) {
                throw CliException.usage("AGENT_BATCH_URL must start with http:// or https://, got '" + url + "'");
            }
            return url.replaceAll("/+$", "");
        }
        Integer offset = portOffset();
        return offset == null ? DEFAULT_URL : "http://127.0.0.1:" + (8080 + offset) + "/agent-batch";
    }

    Integer portOffset() {
        String offset = env("AGENT_BATCH_PORT_OFFSET");
        if (offset == null) {
            return null;
        }
        if (!offset.matches("[0-9]{1,5}") || Integer.parseInt(offset) > 65535 - 9990) {
            throw CliException.usage("AGENT_BATCH_PORT_OFFSET must be an integer 0-" + (65535 - 9990)
                    + ", got '" + offset + "'");
        }
        return Integer.parseInt(offset);
    }

    /**
     * Whether {@link #baseUrl()} is the server this client manages in {@code target/server}: the default URL or
     * the one {@code AGENT_BATCH_PORT_OFFSET} gives, whether or not AGENT_BATCH_URL spells it out.
     */
    boolean talksToLocalServer() {
        Integer offset = portOffset();
        String local = offset == null ? DEFAULT_URL : "http://127.0.0.1:" + (8080 + offset) + "/agent-batch";
        return baseUrl().equals(local);
    }

    /** The checkout (or the unpacked CLI archive), set by {@code bin/agent-batch}; the working directory otherwise. */
    Path home() {
        String home = env("AGENT_BATCH_HOME");
        return Path.of(home == null ? "" : home).toAbsolutePath().normalize();
    }

    /** The WildFly that {@code ./mvnw package} provisions, which {@code server} and {@code demo} manage. */
    Path serverDir() {
        return home().resolve("target/server");
    }

    /** How often {@code --wait} polls when it has no event stream, and {@code purge} always; tests shorten it. */
    Duration pollInterval() {
        String ms = env("AGENT_BATCH_POLL_MS");
        if (ms == null) {
            return Duration.ofMillis(300);
        }
        if (!ms.matches("[0-9]{1,7}") || Integer.parseInt(ms) < 1) {
            throw CliException.usage("AGENT_BATCH_POLL_MS must be a positive number of milliseconds, got '" + ms + "'");
        }
        return Duration.ofMillis(Integer.parseInt(ms));
    }
}
