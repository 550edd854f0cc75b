package dev.agentbatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;

/**
 * WildFly's management interface, through its own {@code jboss-cli.sh}: it authenticates with the local silent
 * mechanism (a token in the server's {@code standalone/tmp}, readable by the user the server runs as), which is what
 * makes it usable right after provisioning, when no management user exists. Each call is a short-lived
 * {@code jboss-cli.sh --connect --output-json} process, so this is for the few moments that need the server's own
 * word: who it is, its {@code server-state}, a graceful {@code :shutdown}.
 */
final class Management {

    /** What a management interface says about the server behind it. */
    record Identity(Path home, Long pid, String serverState) {
    }

    private static final long CALL_TIMEOUT_SECONDS = 90;

    private final Path script;
    private final String controller;

    /** @param port the management port: 9990 + the port offset */
    Management(Path serverDir, int port) {
        this.script = serverDir.resolve("bin/jboss-cli.sh");
        this.controller = "127.0.0.1:" + port;
    }

    String controller() {
        return controller;
    }

    /** Who answers on the management port, if anyone: its {@code jboss.home.dir}, its pid and its state. */
    Optional<Identity> identify() {
        List<JsonNode> results = run("/core-service=server-environment:read-attribute(name=home-dir)",
                "/core-service=platform-mbean/type=runtime:read-attribute(name=name)",
                ":read-attribute(name=server-state)");
        if (results.size() < 3 || !success(results.get(0))) {
            return Optional.empty();
        }
        String runtime = Json.text(results.get(1).path("result"), "");
        Long pid = runtime.matches("[0-9]+@.*") ? Long.valueOf(runtime.substring(0, runtime.indexOf('@'))) : null;
        return Optional.of(new Identity(Path.of(Json.text(results.get(0).path("result"))), pid,
                Json.text(results.get(2).path("result"))));
    }

    /** {@code :shutdown(suspend-timeout=N)}: stop taking requests, let running ones finish for up to N s, stop. */
    boolean shutdown(int suspendTimeoutSeconds) {
        List<JsonNode> results = run(":shutdown(suspend-timeout=" + suspendTimeoutSeconds + ")");
        return !results.isEmpty() && success(results.get(0));
    }

    /** The deployment's status ({@code OK}, {@code FAILED}…) and its failure, if any; for a diagnosis. */
    Optional<String> deploymentStatus(String deployment) {
        List<JsonNode> results = run("/deployment=" + deployment + ":read-attribute(name=status)");
        if (results.isEmpty()) {
            return Optional.empty();
        }
        JsonNode result = results.get(0);
        return Optional.ofNullable(Json.text(result.path(success(result) ? "result" : "failure-description")));
    }

    private static boolean success(JsonNode result) {
        return "success".equals(Json.text(result.path("outcome")));
    }

    /**
     * Runs the operations in one jboss-cli process ({@code --commands} splits on commas, so none may hold one).
     *
     * @return one JSON result per operation that ran; empty when nothing answers on the port
     */
    private List<JsonNode> run(String... operations) {
        if (!Files.isExecutable(script)) {
            return List.of();
        }
        List<String> command = List.of(script.toString(), "--connect", "--controller=" + controller, "--timeout=5000",
                "--output-json", "--commands=" + String.join(",", operations));
        Path output = null;
        try {
            output = Files.createTempFile("agent-batch-jboss-cli-", ".json");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CliException(ExitCodes.UNREACHABLE, "jboss-cli did not answer within " + CALL_TIMEOUT_SECONDS
                        + " s: " + String.join(" ", command));
            }
            return results(Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while running jboss-cli", e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** The JSON documents in jboss-cli's output; "Failed to connect…" and other text is not a result. */
    static List<JsonNode> results(String output) throws IOException {
        List<JsonNode> results = new ArrayList<>();
        int start = output.indexOf('{');
        if (start < 0) {
            return results;
        }
        try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class)
                .readValues(output.substring(start))) {
            while (values.hasNextValue()) {
                results.add(values.nextValue());
            }
        } catch (IOException | RuntimeException notJson) {
            // text after the results (a warning): the results read so far stand
        }
        return results;
    }
}
