package dev.agentbatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where M's memory per task goes, for {@code -Dbench.profile=true}: the classes whose heap grew most between the idle
 * server and the busy one ({@code jcmd GC.class_histogram}, which collects first), and the JVM's native memory by
 * category ({@code jcmd VM.native_memory summary.diff} against a baseline taken idle; the server runs with
 * {@code -XX:NativeMemoryTracking=summary} in a profiled run).
 */
final class MemoryBreakdown {

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    /** A category line of NMT's diff: "-  Thread (reserved=…, committed=123456KB +7890KB)". */
    private static final Pattern NMT_CATEGORY = Pattern.compile(
            "^-\\s+(.+?) \\(reserved=\\d+KB(?: [+-]\\d+KB)?, committed=\\d+KB(?: ([+-]\\d+)KB)?\\)");

    private final long pid;
    private Map<String, long[]> idle = Map.of();

    MemoryBreakdown(long pid) {
        this.pid = pid;
    }

    /** Takes the idle histogram and the native baseline. */
    void idle() throws IOException, InterruptedException {
        idle = histogram();
        jcmd("VM.native_memory", "baseline");
    }

    /** The report: top classes by heap growth per task, then native memory growth per task by category. */
    String busy(int tasks, int top) throws IOException, InterruptedException {
        Map<String, long[]> busy = histogram();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Memory per task during M (%d tasks), heap by class (after a full GC, busy − idle):%n%n", tasks));
        b.append("| class | KB per task | instances per task |\n|---|---|---|\n");
        busy.entrySet().stream()
                .map(e -> {
                    long[] before = idle.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - before[0], e.getValue()[1] - before[1]});
                })
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(top)
                .forEach(e -> b.append(String.format(Locale.ROOT, "| `%s` | %.1f | %.1f |%n",
                        e.getKey(), e.getValue()[1] / 1024.0 / tasks, (double) e.getValue()[0] / tasks)));
        b.append(String.format(Locale.ROOT, "%nNative memory by JVM category (committed, busy − idle):%n%n"));
        b.append("| category | KB per task |\n|---|---|\n");
        for (String line : jcmd("VM.native_memory", "summary.diff").lines().toList()) {
            Matcher m = NMT_CATEGORY.matcher(line.trim());
            if (m.find() && m.group(2) != null && !"Total".equals(m.group(1))) {
                long kb = Long.parseLong(m.group(2));
                if (Math.abs(kb) >= tasks) { // at least 1 KB per task
                    b.append(String.format(Locale.ROOT, "| %s | %.1f |%n", m.group(1), (double) kb / tasks));
                }
            }
        }
        return b.toString();
    }

    /** Class name → {instances, bytes}. */
    private Map<String, long[]> histogram() throws IOException, InterruptedException {
        Map<String, long[]> classes = new HashMap<>();
        for (String line : jcmd("GC.class_histogram").lines().toList()) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, c) -> new long[] {a[0] + c[0], a[1] + c[1]});
            }
        }
        return classes;
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        List<String> args = new java.util.ArrayList<>(List.of(jcmd, Long.toString(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
