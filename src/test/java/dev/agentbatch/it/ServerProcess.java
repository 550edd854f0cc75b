package dev.agentbatch.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The provisioned WildFly as a real operating-system process, for the tests whose point is a real crash:
 * started with {@code bin/standalone.sh}, killed with SIGKILL (the JVM gets no chance to clean up), booted
 * again on the same data. Each instance runs a private copy of target/server with the WAR of this build.
 */
public final class ServerProcess implements AutoCloseable {

    private final Path home;
    private final int portOffset;
    private final List<String> properties;
    private final Map<String, String> environment = new java.util.HashMap<>();
    private Process process;
    private int boots;

    private ServerProcess(Path home, int portOffset, List<String> properties) {
        this.home = home;
        this.portOffset = portOffset;
        this.properties = properties;
    }

    /** A fresh copy of the provisioned server (no data, no logs) under target/, with this build's WAR. */
    public static ServerProcess copyOfProvisioned(String name, int portOffset, Map<String, String> systemProperties) {
        Path target = Path.of(System.getProperty("project.basedir", ".")).resolve("target");
        Path home = target.resolve(name);
        try {
            deleteTree(home);
            copyTree(target.resolve("server"), home);
            Files.createDirectories(home.resolve("standalone/deployments"));
            Files.copy(Path.of(System.getProperty("it.war")), home.resolve("standalone/deployments/agent-batch.war"),
                    StandardCopyOption.REPLACE_EXISTING);
            TestUsers.install(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + home, e);
        }
        List<String> props = new ArrayList<>();
        props.add("-Djboss.socket.binding.port-offset=" + portOffset);
        systemProperties.forEach((k, v) -> {
            if (!k.equals("OPENAI_API_KEY")) {
                props.add("-D" + k + "=" + v);
            }
        });
        ServerProcess server = new ServerProcess(home, portOffset, props);
        if (systemProperties.containsKey("OPENAI_API_KEY")) {
            server.withEnv("OPENAI_API_KEY", systemProperties.get("OPENAI_API_KEY")); // a secret is never a -D (ps shows it)
        }
        return server;
    }

    /** An environment variable for the server process (e.g. what ${env.X} expressions in standalone.xml read). */
    public ServerProcess withEnv(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Path home() {
        return home;
    }

    /** The REST API as the test administrator (all four roles). */
    public AgentBatchApi api() {
        return api(TestUsers.ADMIN);
    }

    public AgentBatchApi api(String user) {
        return new AgentBatchApi("http://127.0.0.1:" + (8080 + portOffset) + "/agent-batch/api", user, TestUsers.password(user));
    }

    /** Starts the server and waits until /api/health answers 200; returns how long that took. */
    public Duration start() {
        Instant begin = Instant.now();
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/standalone.sh").toString());
        command.addAll(properties);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console-" + (++boots) + ".log").toFile()));
        // C1 only: a test server boots ~15 % faster and spends less CPU compiling code it runs for a minute (the
        // benchmarks set their own JBOSS_JAVA_SIZING, without it)
        builder.environment().put("JBOSS_JAVA_SIZING", "-Xms256m -Xmx1g -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m"
                + " -XX:TieredStopAtLevel=1");
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        AgentBatchApi api = api();
        Instant deadline = begin.plus(Duration.ofSeconds(180));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + "; see " + home);
            }
            try {
                if (api.get("/health").status() == 200) {
                    return Duration.between(begin, Instant.now());
                }
            } catch (IllegalStateException notYet) {
                // connection refused while booting
            }
            AgentBatchApi.pause(100);
        }
        throw new IllegalStateException("server not healthy after 180 s; see " + home.resolve("standalone/log/server.log"));
    }

    /**
     * The lines of this server's log about one task (those that begin {@code [task id }), for a failure message: CI
     * shows a test's output, not the servers' logs.
     */
    public String logOf(long taskId) {
        String needle = "[task " + taskId + " ";
        Path log = home.resolve("standalone/log/server.log");
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(needle)).map(l -> l.length() > 400 ? l.substring(0, 400) + "…" : l)
                    .collect(java.util.stream.Collectors.joining("\n  ", "\n" + home.getFileName() + ":\n  ", ""));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "\n" + home.getFileName() + ": no log (" + e.getMessage() + ")";
        }
    }

    /** Resident memory of the server's JVM (Linux /proc), for the benchmarks' memory per running task. */
    public long residentBytes() {
        if (process == null) {
            return 0;
        }
        for (ProcessHandle p : process.descendants().toList()) {
            if (p.info().command().orElse("").endsWith("java")) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                        }
                    }
                } catch (IOException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** The server's JVM (not its launcher script). */
    public ProcessHandle jvm() {
        if (process == null) {
            throw new IllegalStateException("not started");
        }
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JVM under " + process.pid()));
    }

    /** Sends a signal to the server's JVM: STOP freezes it (a long GC pause, a hung VM), CONT wakes it, TERM stops it. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(jvm().pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, as an orchestrator stops a node, and waits until the JVM is gone (a graceful leave). */
    public Duration terminate(Duration timeout) {
        Instant start = Instant.now();
        signal("TERM");
        awaitExit(timeout);
        return Duration.between(start, Instant.now());
    }

    /** The management port (jboss-cli's controller) of this server. */
    public int managementPort() {
        return 9990 + portOffset;
    }

    /** Adds or replaces a system property for the next boots. */
    public ServerProcess withProperty(String name, String value) {
        properties.removeIf(p -> p.startsWith("-D" + name + "="));
        properties.add("-D" + name + "=" + value);
        return this;
    }

    /**
     * Waits until the server's JVM is gone by itself (a fault point halted it), for at most {@code timeout}.
     *
     * @throws AssertionError when it is still alive
     */
    public void awaitExit(Duration timeout) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        Instant end = Instant.now().plus(timeout);
        for (ProcessHandle p : all) {
            while (p.isAlive()) {
                if (Instant.now().isAfter(end)) {
                    throw new AssertionError("the server (pid " + p.pid() + ") did not exit within " + timeout);
                }
                AgentBatchApi.pause(50);
            }
        }
        kill9(); // the launcher script, if it outlived its JVM
    }

    /**
     * Starts the server and waits until its log shows {@code expected} (a deployment that must fail), then stops it.
     *
     * @return the server log
     */
    public String startExpectingLog(String expected, Duration timeout) {
        Path log = home.resolve("standalone/log/server.log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/standalone.sh").toString());
        command.addAll(properties);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console-" + (++boots) + ".log").toFile()));
        builder.environment().put("JBOSS_JAVA_SIZING", "-Xms256m -Xmx1g -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m");
        builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "true");
        builder.environment().putAll(environment);
        try {
            process = builder.start();
            Instant end = Instant.now().plus(timeout);
            while (Instant.now().isBefore(end)) {
                String text = Files.exists(log) ? Files.readString(log) : "";
                if (text.contains(expected)) {
                    return text;
                }
                AgentBatchApi.pause(200);
            }
            throw new AssertionError("the server log never showed: " + expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            kill9();
        }
    }

    /** Starts the server and waits for its JVM to exit by itself (a fault point halts it while it boots). */
    public void startAndAwaitExit(Duration timeout) {
        try {
            start();
        } catch (IllegalStateException exitedWhileBooting) {
            // the JVM halted before /api/health answered: what we wait for
        }
        awaitExit(timeout);
    }

    /** SIGKILL to the JVM and its launcher: no shutdown hook, no graceful anything. */
    public void kill9() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            p.onExit().join();
        }
        process = null;
    }

    @Override
    public void close() {
        kill9();
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path rel = from.relativize(dir);
                String r = rel.toString();
                if (r.equals("standalone/data") || r.equals("standalone/log") || r.equals("standalone/tmp")
                        || r.equals("standalone/deployments")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(rel));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
