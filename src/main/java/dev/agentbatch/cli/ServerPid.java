package dev.agentbatch.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The pid file {@code standalone.sh} writes when {@code JBOSS_PIDFILE} and {@code LAUNCH_JBOSS_IN_BACKGROUND} are
 * set (the server's java; the script deletes the file when java ends), and the one check that stands before any
 * signal: the process's command line ({@code /proc/PID/cmdline}) must carry {@code -Djboss.home.dir=} this server's
 * directory. A recycled pid, another checkout's server or any other program is never signalled.
 */
final class ServerPid {

    private static final long TERM_GRACE_MILLIS = 30_000;
    private static final long PID_FILE_WAIT_MILLIS = 30_000;

    private final Path serverDir;

    ServerPid(Path serverDir) {
        this.serverDir = serverDir;
    }

    Path file() {
        return serverDir.resolve("standalone/data/server.pid");
    }

    /** The recorded pid, if that process is alive and is this server. */
    OptionalLong running() {
        String text;
        try {
            text = Files.readString(file(), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + file() + ": " + e.getMessage(), e);
        }
        if (!text.matches("[0-9]{1,10}")) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(text);
        return isThisServer(pid) ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /** Whether {@code pid} is alive and runs WildFly with this server's {@code jboss.home.dir}. */
    boolean isThisServer(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        String prefix = "-Djboss.home.dir=";
        return commandLine(pid).stream().filter(arg -> arg.startsWith(prefix))
                .anyMatch(arg -> sameDir(Path.of(arg.substring(prefix.length())), serverDir));
    }

    /** {@code /proc/PID/cmdline} (NUL-separated), else what the JDK knows of the process's arguments. */
    static List<String> commandLine(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid), "cmdline");
        try {
            if (Files.isReadable(proc)) {
                return Arrays.asList(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).split("\0"));
            }
        } catch (IOException gone) {
            return List.of();
        }
        return ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).map(Arrays::asList).orElse(List.of());
    }

    static boolean sameDir(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /**
     * Waits for standalone.sh to write the pid of the java it started.
     *
     * @param launcher the script; if it ends first, nothing started
     */
    long await(ProcessHandle launcher, Supplier<String> whyNot) {
        long deadline = System.currentTimeMillis() + PID_FILE_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            OptionalLong pid = running();
            if (pid.isPresent()) {
                return pid.getAsLong();
            }
            if (!launcher.isAlive()) {
                throw new CliException(ExitCodes.UNREACHABLE, whyNot.get());
            }
            LocalServer.pause(100);
        }
        throw new CliException(ExitCodes.UNREACHABLE, "standalone.sh wrote no pid to " + file() + " within "
                + PID_FILE_WAIT_MILLIS / 1000 + " s (pid " + launcher.pid() + " is the script)");
    }

    /** @return whether {@code pid} ended within {@code seconds} */
    boolean awaitExit(long pid, int seconds, Runnable tick) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
            tick.run();
            LocalServer.pause(1000);
        }
        return false;
    }

    /**
     * SIGTERM (java shuts WildFly down cleanly), SIGKILL if it still runs after 30 s; only to this server.
     *
     * @return whether it ended within the grace period
     */
    boolean terminate(long pid, Runnable tick) {
        if (!isThisServer(pid)) {
            return true; // ended meanwhile, or the pid now belongs to someone else: not ours to signal
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroy();
        if (awaitExit(pid, (int) (TERM_GRACE_MILLIS / 1000), tick)) {
            return true;
        }
        if (isThisServer(pid)) {
            process.destroyForcibly();
        }
        for (int i = 0; i < 50 && process.isAlive(); i++) {
            LocalServer.pause(100);
        }
        if (process.isAlive()) {
            throw new CliException(ExitCodes.UNREACHABLE, "could not kill server process " + pid
                    + " (not yours? try: kill -9 " + pid + ")");
        }
        return false;
    }

    void forget() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot delete " + file() + ": " + e.getMessage(), e);
        }
    }
}
