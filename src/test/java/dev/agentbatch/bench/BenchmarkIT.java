package dev.agentbatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs the benchmark harness. By default a smoke run (every measurement tiny, seconds) so the harness cannot rot;
 * with {@code -Dbench=full} (profile {@code bench}: {@code ./mvnw -Pbench verify}) the full run, which writes its
 * table to BENCHMARKS.md ({@code -Dbench.only=B1,B8} runs a subset and writes target/benchmarks-partial.md instead).
 * Both assert what each measurement must get right (every task completed with the iterations it was scripted for,
 * B6's effects distinct and complete, B7's bursts spread over the nodes) and that every figure exists; timings are
 * never asserted in tests. In {@code ./mvnw verify} the smoke run goes beside the Arquillian tests (its figures mean
 * nothing there; its checks do); the full run is run alone ({@code -Pbench}).
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+800")
class BenchmarkIT {

    @Test
    void harnessRuns() throws Exception {
        Benchmarks.Mode mode = "full".equals(System.getProperty("bench")) ? Benchmarks.Mode.FULL : Benchmarks.Mode.SMOKE;
        Benchmarks benchmarks = new Benchmarks(mode);
        String table = benchmarks.run();
        System.out.println(table);
        Path base = Path.of(System.getProperty("project.basedir", "."));
        if (!benchmarks.only().isEmpty()) {
            Files.writeString(base.resolve("target/benchmarks-partial.md"), mode + " run " + LocalDate.now() + " of "
                    + benchmarks.only() + "\n\n" + table, StandardCharsets.UTF_8);
        } else if (mode == Benchmarks.Mode.FULL) {
            writeTable(base.resolve("BENCHMARKS.md"), table);
        } else {
            Files.writeString(base.resolve("target/benchmarks-smoke.md"), "smoke run " + LocalDate.now() + "\n\n" + table,
                    StandardCharsets.UTF_8);
        }
        assertEquals(List.of(), benchmarks.failures(), table);
        if (benchmarks.only().isEmpty()) {
            assertEquals(benchmarks.expectedRows(), benchmarks.rows().size(), table);
        }
        assertFalse(table.contains("NaN"), table);
    }

    /** Replaces the table between the markers of BENCHMARKS.md, keeping the analysis around it. */
    static void writeTable(Path file, String table) throws java.io.IOException {
        String start = "<!-- table:start -->";
        String end = "<!-- table:end -->";
        String text = Files.exists(file) ? Files.readString(file) : "# Benchmarks\n\n" + start + "\n" + end + "\n";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            text = text + "\n" + start + "\n" + end + "\n";
            from = text.indexOf(start);
            to = text.indexOf(end);
        }
        String block = start + "\nRun of " + LocalDate.now() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores (`./mvnw -Pbench verify`):\n\n" + table + "\n";
        Files.writeString(file, text.substring(0, from) + block + text.substring(to), StandardCharsets.UTF_8);
    }
}
