package dev.agentbatch.cli;

import java.io.File;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds this checkout's server processes: the {@code standalone.sh} recorded in
 * {@code target/server.pid}, its java child, and any java still running this checkout's
 * {@code jboss-modules.jar} (the script may be gone while java lives on, e.g. after a kill of
 * the script alone). Servers of other checkouts are never touched.
 */
final class ServerProcesses {

    private static final long TERM_GRACE_MILLIS = 30_000;

    private final Path home;

    ServerProcesses(Path home) {
        this.home = home;
    }

    Path serverDir() {
        return home.resolve("target/server");
    }

    Path pidFile() {
        return home.resolve("target/server.pid");
    }

    Path consoleLog() {
        return serverDir().resolve("standalone/log/console.log");
    }

    /** The recorded script process, if it still runs. */
    Optional<ProcessHandle> recorded() {
        Path file = pidFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!text.matches("[0-9]{1,10}")) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
    }

    /** The recorded process with its descendants, plus java processes running our jboss-modules.jar. */
    List<ProcessHandle> find() {
        Set<ProcessHandle> found = new LinkedHashSet<>();
        recorded().ifPresent(script -> {
            found.add(script);
            script.descendants().forEach(found::add);
        });
        Set<String> jars = new HashSet<>(List.of(serverDir().resolve("jboss-modules.jar").toString(), realJar()));
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.info().commandLine().map(cmd -> jars.stream().anyMatch(cmd::contains)).orElse(false)
                        || p.info().arguments().map(a -> Stream.of(a).anyMatch(jars::contains)).orElse(false))
                .forEach(found::add);
        return List.copyOf(found);
    }

    private String realJar() {
        Path jar = serverDir().resolve("jboss-modules.jar");
        try {
            return Files.exists(jar) ? jar.toRealPath().toString() : jar.toString();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot resolve " + jar + ": " + e.getMessage(), e);
        }
    }

    /**
     * SIGTERM to all (java shuts WildFly down cleanly), SIGKILL to whatever still runs after 30 s.
     *
     * @return whether everything ended within the grace period
     */
    boolean terminate(List<ProcessHandle> processes, Runnable tick) {
        processes.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + TERM_GRACE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (processes.stream().noneMatch(ProcessHandle::isAlive)) {
                return true;
            }
            tick.run();
            ServerControl.pause(1000);
        }
        processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        for (int i = 0; i < 50 && processes.stream().anyMatch(ProcessHandle::isAlive); i++) {
            ServerControl.pause(100);
        }
        List<Long> survivors = processes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        if (!survivors.isEmpty()) {
            throw new CliException(ExitCodes.UNREACHABLE, "could not kill server processes " + survivors
                    + " (not yours? try: kill -9 " + survivors.get(0) + ")");
        }
        return false;
    }

    long consoleLogSize() {
        try {
            return Files.exists(consoleLog()) ? Files.size(consoleLog()) : 0;
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + consoleLog() + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the last boot logged after {@code offset} ended: {@code null} while WildFly still boots,
     * else "started" (WFLYSRV0025) or "started with errors" (WFLYSRV0026, usually a failed deployment).
     * Once it has booted, a health check that still fails is a broken deployment, not a slow one.
     */
    String bootOutcome(long offset) {
        String log;
        try (SeekableByteChannel channel = Files.newByteChannel(consoleLog())) {
            if (channel.size() <= offset) {
                return null;
            }
            channel.position(offset);
            log = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + consoleLog() + ": " + e.getMessage(), e);
        }
        int boot = Math.max(log.lastIndexOf("WFLYSRV0049"), 0);
        if (log.indexOf("WFLYSRV0026", boot) >= 0) {
            return "started with errors";
        }
        return log.indexOf("WFLYSRV0025", boot) >= 0 ? "started" : null;
    }

    void forgetPid() {
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot delete " + pidFile() + ": " + e.getMessage(), e);
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }
}
