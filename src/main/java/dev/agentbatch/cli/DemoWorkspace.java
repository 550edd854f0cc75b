package dev.agentbatch.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Stages the demo's problem in the server's workspace: a log folder full of rotated logs
 * weeks old next to the live one. A good agent deletes the old ones and keeps the live one;
 * {@link #check} tells which happened by looking at the disk, not at what the model claims.
 */
final class DemoWorkspace {

    private static final int[] AGE_DAYS = {12, 25, 38};
    private static final int[] SIZE_MB = {1, 3, 5};

    private final Path logDir;
    private final List<Path> oldLogs = new ArrayList<>();
    private final Path currentLog;

    DemoWorkspace(Path workspace) {
        this.logDir = workspace.resolve("var/log/app");
        this.currentLog = logDir.resolve("current.log");
    }

    void fill(PrintStream out) {
        try {
            Files.createDirectories(logDir);
            out.println("staged in " + logDir + ":");
            Instant now = Instant.now();
            for (int i = 0; i < AGE_DAYS.length; i++) {
                Instant mtime = now.minus(Duration.ofDays(AGE_DAYS[i]));
                LocalDate day = LocalDate.ofInstant(mtime, ZoneId.systemDefault());
                Path log = logDir.resolve("app-" + day + ".log");
                write(log, SIZE_MB[i] * 1024L * 1024L, day.toString(), mtime);
                oldLogs.add(log);
                out.printf(Locale.ROOT, "  %-22s %5s  modified %d days ago%n", log.getFileName(), size(log), AGE_DAYS[i]);
            }
            write(currentLog, 64 * 1024, LocalDate.now().toString(), now);
            out.printf(Locale.ROOT, "  %-22s %5s  modified now (the live log: must survive)%n", "current.log",
                    size(currentLog));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot stage the demo logs in " + logDir + " (" + e
                    + "); the demo needs the server's workspace on this machine", e);
        }
    }

    /** @return whether every old log is gone and the live one is still there */
    boolean check(PrintStream out) {
        boolean ok = true;
        for (Path log : oldLogs) {
            boolean gone = !Files.exists(log);
            ok &= gone;
            out.printf(Locale.ROOT, "  %-22s %s%n", log.getFileName(), gone ? "gone (ok)" : "STILL THERE");
        }
        boolean kept = Files.isRegularFile(currentLog);
        ok &= kept;
        out.printf(Locale.ROOT, "  %-22s %s%n", "current.log", kept ? "still there (ok)" : "MISSING: the live log was deleted");
        if (!Files.isDirectory(logDir)) {
            out.println("  " + logDir + " itself is gone");
            return false;
        }
        try (Stream<Path> files = Files.list(logDir)) {
            List<String> left = files.sorted().map(p -> p.getFileName() + " (" + size(p) + ")").toList();
            out.println("  left in " + logDir + ": " + (left.isEmpty() ? "nothing" : String.join(", ", left)));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot list " + logDir + ": " + e.getMessage(), e);
        }
        return ok;
    }

    /** Plausible application log lines, so a model that reads a file sees a real log. */
    private static void write(Path file, long bytes, String day, Instant mtime) throws IOException {
        String[] events = {"INFO  [http-worker-%d] OrderService - order %d processed in %d ms",
            "DEBUG [http-worker-%d] CartCache - cache hit for session %d (%d entries)",
            "WARN  [http-worker-%d] PaymentClient - retrying payment %d after %d ms"};
        long written = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int n = 0; written < bytes; n++) {
                String line = String.format(Locale.ROOT, "%sT%02d:%02d:%02d.%03dZ " + events[n % 3] + "%n",
                        day, (n / 3600) % 24, (n / 60) % 60, n % 60, n % 1000, n % 8, 100_000 + n, n % 97);
                w.write(line);
                written += line.length();
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(mtime));
    }

    private static String size(Path file) {
        try {
            long bytes = Files.size(file);
            return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
        } catch (IOException e) {
            return "size unknown: " + e.getMessage();
        }
    }
}
