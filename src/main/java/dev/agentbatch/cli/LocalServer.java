package dev.agentbatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Starts the WildFly that {@code mvnw package} provisions under {@code target/server} and tells whether it is up,
 * with WildFly's own controls: {@code standalone.sh} runs java in the background and writes its pid to
 * {@code JBOSS_PIDFILE} ({@link ServerPid}), and the management interface ({@link Management}) says what state a
 * server that does not answer yet is in. {@link ServerStop} stops it. The server outlives the client: it runs in
 * its own session.
 */
final class LocalServer {

    static final String DEFAULT_HEAP = "-Xms256m -Xmx2g";
    static final String DEFAULT_METASPACE = "-XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m";
    static final String DEFAULT_SIZING = DEFAULT_HEAP + " " + DEFAULT_METASPACE;
    static final int SUSPEND_TIMEOUT_SECONDS = 30;
    private static final int START_TIMEOUT_SECONDS = 180;
    /** How long health may lag behind WildFly's "started" line before the deployment counts as broken. */
    private static final int BOOT_GRACE_SECONDS = 15;

    private final Context ctx;
    private final ApiClient api;
    private final Path serverDir;
    private final ServerPid pid;

    LocalServer(Context ctx, ApiClient api) {
        this.ctx = ctx;
        this.api = api;
        this.serverDir = ctx.serverDir();
        this.pid = new ServerPid(serverDir);
    }

    Management management() {
        Integer offset = ctx.portOffset();
        return new Management(serverDir, 9990 + (offset == null ? 0 : offset));
    }

    /** Starts the server unless it answers already, then waits until /api/health says UP. */
    void ensureRunning() {
        if (api.whyNotUp() == null) {
            return;
        }
        OptionalLong running = pid.running();
        long logOffset = 0;
        long server;
        if (running.isPresent()) {
            server = running.getAsLong();
            ctx.out().print("server process " + server + " is up but not ready yet; waiting ");
        } else {
            LocalUser.ensure(serverDir, ctx.home(), ctx.err());
            logOffset = ServerLog.size(consoleLog());
            server = launch();
            ctx.out().print("starting WildFly (pid " + server + ", log " + relative(consoleLog()) + ") ");
        }
        ctx.out().flush();
        awaitHealth(server, logOffset);
    }

    Path serverDir() {
        return serverDir;
    }

    ServerPid pid() {
        return pid;
    }

    Path consoleLog() {
        return serverDir.resolve("standalone/log/console.log");
    }

    /** @return the pid of the server's java, which standalone.sh writes to the pid file */
    private long launch() {
        Path script = serverDir.resolve("bin/standalone.sh");
        if (!Files.isExecutable(script)) {
            boolean checkout = Files.exists(ctx.home().resolve("pom.xml"));
            throw new CliException(ExitCodes.UNREACHABLE, "no server at " + script + (checkout
                    ? "; build it with: ./mvnw -q -B package -DskipTests (or run bin/agent-batch demo)"
                    : "; an installed CLI manages no server of its own: set AGENT_BATCH_URL to a running one"));
        }
        List<String> command = new ArrayList<>();
        // setsid: a Ctrl-C in this terminal must not reach the server; nohup: nor a closed terminal
        if (onPath("setsid")) {
            command.add("setsid");
        }
        command.add("nohup");
        command.add(script.toString());
        Integer offset = ctx.portOffset();
        if (offset != null) {
            command.add("-Djboss.socket.binding.port-offset=" + offset);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(serverDir.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(ctx.env());
        if (ctx.env("JBOSS_JAVA_SIZING") == null) {
            env.put("JBOSS_JAVA_SIZING", DEFAULT_SIZING);
        }
        // standalone.sh then runs java in the background, writes its pid to JBOSS_PIDFILE, relays TERM to it,
        // and deletes the file when java ends
        env.put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        env.put("JBOSS_PIDFILE", pid.file().toString());
        Path log = consoleLog();
        try {
            pid.forget();
            Files.createDirectories(log.getParent());
            Files.createDirectories(pid.file().getParent());
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true);
            Process launcher = builder.start();
            return pid.await(launcher.toHandle(), () -> "the server script exited before starting java; see " + log);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "could not start " + script + ": " + e.getMessage(), e);
        }
    }

    /** @param logOffset where this boot's lines start in console.log */
    private void awaitHealth(long server, long logOffset) {
        long start = System.nanoTime();
        int graceAfterBoot = BOOT_GRACE_SECONDS;
        for (int second = 0; second < START_TIMEOUT_SECONDS; second++) {
            if (api.whyNotUp() == null) {
                ctx.out().println(" UP in " + (System.nanoTime() - start) / 1_000_000_000 + " s at " + api.baseUrl());
                return;
            }
            String boot = ServerLog.bootOutcome(consoleLog(), logOffset);
            if (boot != null && graceAfterBoot-- <= 0) {
                ctx.out().println();
                String deployment = management().deploymentStatus("agent-batch.war").map(s -> "; deployment " + s)
                        .orElse("");
                throw new CliException(ExitCodes.UNREACHABLE, "WildFly " + boot + " but " + api.baseUrl()
                        + "/api/health is not UP " + BOOT_GRACE_SECONDS + " s later (" + api.whyNotUp() + deployment
                        + "): the deployment is broken; see " + serverDir.resolve("standalone/log/server.log")
                        + " (pid " + server + " left running: bin/agent-batch server stop)");
            }
            if (!ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false)) {
                ctx.out().println();
                throw new CliException(ExitCodes.UNREACHABLE, "the server exited while starting; see "
                        + consoleLog() + " and " + serverDir.resolve("standalone/log/server.log"));
            }
            ctx.out().print('.');
            ctx.out().flush();
            pause(1000);
        }
        ctx.out().println();
        throw new CliException(ExitCodes.UNREACHABLE, "server did not answer " + api.baseUrl() + "/api/health within "
                + START_TIMEOUT_SECONDS + " s (" + api.whyNotUp() + "); see " + consoleLog()
                + " (pid " + server + " left running: bin/agent-batch server stop)");
    }

    int status() {
        String why = api.whyNotUp();
        if (why != null) {
            OptionalLong running = pid.running();
            String process = "";
            if (running.isPresent()) {
                String state = management().identify().filter(id -> ServerPid.sameDir(id.home(), serverDir))
                        .map(id -> ", server-state " + id.serverState()).orElse("");
                process = " (process " + running.getAsLong() + " is running" + state + "; still starting? see "
                        + relative(consoleLog()) + ")";
            }
            ctx.out().println("DOWN " + api.baseUrl() + ": " + why + process);
            return ExitCodes.UNREACHABLE;
        }
        var health = api.health();
        ctx.out().println("UP " + api.baseUrl() + "  model " + Json.text(health.path("model"), "?")
                + " (" + Json.text(health.path("modelName"), "?") + ")  workspace "
                + Json.text(health.path("workspace"), "?"));
        return ExitCodes.OK;
    }

    String relative(Path path) {
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

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
