package dev.agentbatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Starts and stops the WildFly that {@code mvnw package} provisions under {@code target/server},
 * so a fresh clone needs no installed application server. The server outlives the client:
 * it runs in its own session, and {@code target/server.pid} finds it again for {@code stop}.
 */
final class ServerControl {

    static final String DEFAULT_HEAP = "-Xms256m -Xmx2g";
    static final String DEFAULT_METASPACE = "-XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m";
    static final String DEFAULT_SIZING = DEFAULT_HEAP + " " + DEFAULT_METASPACE;
    private static final int START_TIMEOUT_SECONDS = 180;
    /** How long health may lag behind WildFly's "started" line before the deployment counts as broken. */
    private static final int BOOT_GRACE_SECONDS = 15;

    private final Context ctx;
    private final ApiClient api;
    private final ServerProcesses processes;

    ServerControl(Context ctx, ApiClient api) {
        this.ctx = ctx;
        this.api = api;
        this.processes = new ServerProcesses(ctx.home());
    }

    int start() {
        if (api.whyNotUp() == null) {
            ctx.out().println("server already UP at " + api.baseUrl());
            return ExitCodes.OK;
        }
        ensureRunning();
        return ExitCodes.OK;
    }

    /** Starts the server unless it answers already, then waits until /api/health says UP. */
    void ensureRunning() {
        if (api.whyNotUp() == null) {
            return;
        }
        ProcessHandle server = processes.recorded().orElse(null);
        long logOffset = 0;
        if (server != null) {
            ctx.out().print("server process " + server.pid() + " is up but not ready yet; waiting ");
        } else {
            logOffset = processes.consoleLogSize();
            server = launch();
            ctx.out().print("starting WildFly (pid " + server.pid() + ", log " + relative(processes.consoleLog())
                    + ") ");
        }
        ctx.out().flush();
        awaitHealth(server, logOffset);
    }

    private ProcessHandle launch() {
        Path script = processes.serverDir().resolve("bin/standalone.sh");
        if (!Files.isExecutable(script)) {
            throw new CliException(ExitCodes.UNREACHABLE, "no server at " + script
                    + "; build it with: ./mvnw -q -B package -DskipTests (or run bin/agent-batch demo)");
        }
        List<String> command = new ArrayList<>();
        // setsid: a Ctrl-C in this terminal must not reach the server; nohup: nor a closed terminal
        if (ServerProcesses.onPath("setsid")) {
            command.add("setsid");
        }
        command.add("nohup");
        command.add(script.toString());
        Integer offset = ctx.portOffset();
        if (offset != null) {
            command.add("-Djboss.socket.binding.port-offset=" + offset);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(processes.serverDir().toFile());
        Map<String, String> env = builder.environment();
        env.putAll(ctx.env());
        if (ctx.env("JBOSS_JAVA_SIZING") == null) {
            env.put("JBOSS_JAVA_SIZING", DEFAULT_SIZING);
        }
        // the script then traps TERM and hands it to java, so stopping the script stops the server
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        Path log = processes.consoleLog();
        try {
            Files.createDirectories(log.getParent());
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
            Process process = builder.start();
            Files.writeString(processes.pidFile(), process.pid() + "\n", StandardCharsets.US_ASCII);
            return process.toHandle();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "could not start " + script + ": " + e.getMessage(), e);
        }
    }

    /** @param logOffset where this boot's lines start in console.log */
    private void awaitHealth(ProcessHandle server, long logOffset) {
        long start = System.nanoTime();
        int graceAfterBoot = BOOT_GRACE_SECONDS;
        for (int second = 0; second < START_TIMEOUT_SECONDS; second++) {
            if (api.whyNotUp() == null) {
                ctx.out().println(" UP in " + (System.nanoTime() - start) / 1_000_000_000 + " s at " + api.baseUrl());
                return;
            }
            String boot = processes.bootOutcome(logOffset);
            if (boot != null && graceAfterBoot-- <= 0) {
                ctx.out().println();
                throw new CliException(ExitCodes.UNREACHABLE, "WildFly " + boot + " but " + api.baseUrl()
                        + "/api/health is not UP " + BOOT_GRACE_SECONDS + " s later (" + api.whyNotUp()
                        + "): the deployment is broken; see " + processes.serverDir().resolve("standalone/log/server.log")
                        + " (pid " + server.pid() + " left running: bin/agent-batch server stop)");
            }
            if (!server.isAlive()) {
                ctx.out().println();
                throw new CliException(ExitCodes.UNREACHABLE, "the server exited while starting; see "
                        + processes.consoleLog() + " and " + processes.serverDir().resolve("standalone/log/server.log"));
            }
            ctx.out().print('.');
            ctx.out().flush();
            pause(1000);
        }
        ctx.out().println();
        throw new CliException(ExitCodes.UNREACHABLE, "server did not answer " + api.baseUrl() + "/api/health within "
                + START_TIMEOUT_SECONDS + " s (" + api.whyNotUp() + "); see " + processes.consoleLog()
                + " (pid " + server.pid() + " left running: bin/agent-batch server stop)");
    }

    int stop() {
        List<ProcessHandle> running = processes.find();
        if (running.isEmpty()) {
            processes.forgetPid();
            ctx.out().println("server is not running (no process under " + processes.serverDir() + ")");
            return ExitCodes.OK;
        }
        ctx.out().print("stopping server (pids " + running.stream().map(p -> String.valueOf(p.pid())).toList() + ") ");
        ctx.out().flush();
        boolean graceful = processes.terminate(running, () -> {
            ctx.out().print('.');
            ctx.out().flush();
        });
        processes.forgetPid();
        ctx.out().println(graceful ? " stopped" : " killed (did not stop within 30 s of SIGTERM)");
        return ExitCodes.OK;
    }

    int status() {
        String why = api.whyNotUp();
        if (why != null) {
            String pid = processes.recorded().map(p -> " (process " + p.pid() + " is running; still starting?"
                    + " see " + relative(processes.consoleLog()) + ")").orElse("");
            ctx.out().println("DOWN " + api.baseUrl() + ": " + why + pid);
            return ExitCodes.UNREACHABLE;
        }
        JsonNode health = api.health();
        ctx.out().println("UP " + api.baseUrl() + "  model " + Json.text(health.path("model"), "?")
                + " (" + Json.text(health.path("modelName"), "?") + ")  workspace "
                + Json.text(health.path("workspace"), "?"));
        return ExitCodes.OK;
    }

    private String relative(Path path) {
        Path home = ctx.home();
        return path.startsWith(home) ? home.relativize(path).toString() : path.toString();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while waiting for the server", e);
        }
    }
}
