package dev.agentbatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.AgentBatchApi;
import dev.agentbatch.it.EffectTarget;
import dev.agentbatch.it.FakeOpenAiServer.Reply;
import dev.agentbatch.it.FakeOpenAiServer;
import dev.agentbatch.it.JobRepository;
import dev.agentbatch.it.Postgres;
import dev.agentbatch.it.ServerProcess;
import dev.agentbatch.tools.PlainTools;

/**
 * The benchmark harness (BENCHMARKS.md). Every figure is a ratio against a baseline measured in the same run, with
 * absolute values for context: the plain in-memory loop for the loop's cost, the ideal time for concurrency, the
 * database's own commit rate, the cold boot for recovery, one node for several. Runs against the real provisioned
 * server (private copies, as processes) and the fake OpenAI server of the tests, whose latency it sets.
 * {@link Mode#SMOKE} runs every measurement tiny so the harness cannot rot, and checks what each one must get right
 * (completed tasks, distinct effects, iteration counts) in {@link #failures()}; timings are never asserted.
 * {@code -Dbench.only=B1,B8} runs a subset ({@code B3-DEFAULT}: only the B3 run on WildFly's default cap and pool);
 * {@code -Dbench.profile=true} records JFR method profiles of B1, B3 and B6, and breaks M down by class and by native
 * memory category.
 */
final class Benchmarks {

    enum Mode { SMOKE, FULL }

    record Sizes(int reps, int b1Iterations, int b2Iterations, long b2LatencyMs, int[] b3Tasks, int b5Samples,
                 int b6Tasks, int b7CapTasks, long b7CapLatencyMs, int b7CpuTasks, int b7Nodes, int b8Iterations,
                 int memoryTasks, int warmupTasks, int warmupMaxTasks, int b1Reps, int b8Reps) {
        /**
         * B1 and B8 repeat more than the rest: a repetition takes well under a second, and their figures are differences
         * of a few milliseconds that this shared machine moves by as much from one second to the next. The warm-up before
         * B1 runs rounds of {@code warmupTasks} tasks on each loop until the server's JIT is quiet, at most
         * {@code warmupMaxTasks}.
         */
        static Sizes of(Mode mode) {
            return mode == Mode.FULL
                    ? new Sizes(3, 50, 20, 500, new int[] {10, 200, 1000}, 50, 100, 72, 1000, 200, 3, 200, 1000, 20, 300, 15, 9)
                    : new Sizes(1, 5, 2, 100, new int[] {3}, 3, 3, 16, 300, 32, 2, 12, 3, 3, 3, 1, 1);
        }
    }

    /**
     * When the warm-up stops: the server's JIT compiler threads used less than this share of one core over the last
     * round. A server in production compiled its hot code long ago; until the compilers are quiet they take the cores
     * the iterations are measured on (60 % of the server's CPU samples during B1 after 20 warm-up tasks, in an
     * async-profiler recording of 2026-11-30).
     */
    private static final double QUIET_JIT = 0.05;

    private static final int TARGET_PORT = 18091;
    private static final int B7_CAP = 8;
    /** The machine's cores, read before anything is pinned (a pinned JVM reports only its own). */
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private final Mode mode;
    private final Sizes sizes;
    private final Set<String> only;
    private final boolean profile = Boolean.getBoolean("bench.profile");
    private final FakeOpenAiServer model = FakeOpenAiServer.shared();
    private final Path base = Path.of(System.getProperty("project.basedir", "."));
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private ServerProcess current;
    /** The tasks of the last burst. */
    private final List<Long> lastBurst = new ArrayList<>();
    private long peakRss;

    /** Adds a row of the table, and prints it at once, so a run that fails later still shows what it measured. */
    private void row(String[] cells) {
        rows.add(cells);
        System.out.println("benchmark row: | " + String.join(" | ", cells) + " |");
    }

    /** The rows a whole run writes: B1, B2, B8, one B3 per size, the default B3, B5, M, B6, and two B7 per node count. */
    int expectedRows() {
        return 3 + sizes.b3Tasks().length + 4 + 2 * (sizes.b7Nodes() - 1);
    }

    Benchmarks(Mode mode) {
        this.mode = mode;
        this.sizes = Sizes.of(mode);
        String selected = System.getProperty("bench.only", "");
        this.only = selected.isBlank() ? Set.of() : Set.of(selected.toUpperCase(Locale.ROOT).split(","));
    }

    private boolean wants(String... names) {
        if (only.isEmpty()) {
            return true;
        }
        for (String n : names) {
            if (only.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the benchmarks and returns the report (Markdown). */
    String run() throws Exception {
        double h2Commits = probeH2CommitRate();
        try (EffectTarget target = new EffectTarget(TARGET_PORT)) {
            target.answerSize(2048);
            Duration coldBoot = null;
            if (wants("B1", "B2", "B3", "B5", "B8", "M")) {
                try (ServerProcess server = server("bench-server", 1010, 1000)) {
                    coldBoot = server.start();
                    this.current = server;
                    AgentBatchApi api = server.api();
                    if (wants("B1", "B2")) {
                        b1b2(api, server);
                    }
                    if (wants("B8")) {
                        b8(api);
                    }
                    if (wants("B3")) {
                        b3(api, server, h2Commits, "recommended: cap 1000, batch threads 1010");
                    }
                    if (wants("B5")) {
                        b5(api);
                    }
                    if (wants("M")) {
                        memory(api, server, target);
                    }
                    this.current = null;
                }
            }
            if (wants("B3", "B3-DEFAULT")) {
                try (ServerProcess server = server("bench-default", 64, 8)) {
                    server.start();
                    b3Default(server.api());
                }
            }
            if (wants("B6")) {
                try (ServerProcess server = server("bench-recovery", 1010, 1000)) {
                    b6(server, coldBoot, target);
                }
            }
            if (wants("B7")) {
                b7(h2Commits);
            }
        }
        return report(h2Commits);
    }

    private ServerProcess server(String name, int threads, int cap) {
        return ServerProcess.copyOfProvisioned(name, 800, Map.of(
                        "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL", modelUrl(), "OPENAI_MODEL", "fake-model",
                        "AGENT_BATCH_WORKSPACE", base.resolve("target/bench-workspace").toString(),
                        "AGENT_BATCH_HTTP_ALLOWED_HOSTS", "127.0.0.1:" + TARGET_PORT,
                        "AGENT_BATCH_TOOL_RESULT_MAX_CHARS", "25000",
                        "AGENT_BATCH_MAX_CONCURRENT_TASKS", Integer.toString(cap)))
                .withEnv("AGENT_BATCH_BATCH_THREADS", Integer.toString(threads))
                .withEnv("JBOSS_JAVA_SIZING", jvmOptions("-Xms512m -Xmx2g"));
    }

    /**
     * The servers' JVM options: the full run measures the JVM as it ships (C2 included); the smoke run, whose figures
     * nobody reads, boots with C1 only like the tests' servers (ServerProcess), which is faster.
     */
    private String jvmOptions(String heap) {
        return heap + " -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m" + (mode == Mode.SMOKE ? " -XX:TieredStopAtLevel=1" : "")
                // whole stacks in the profiles (JFR keeps 64 frames by default, and a batch thread's are deeper)
                + (profile ? " -XX:FlightRecorderOptions:stackdepth=512 -XX:NativeMemoryTracking=summary" : "");
    }

    private static String modelUrl() {
        return "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1";
    }

    /** B1 (zero-latency model) and B2 (500 ms model): the same task, durable vs plain. */
    private void b1b2(AgentBatchApi api, ServerProcess server) throws Exception {
        List<Double> plainMs = new ArrayList<>();
        List<Double> durableMs = new ArrayList<>();
        List<Double> plain2 = new ArrayList<>();
        List<Double> durable2 = new ArrayList<>();
        List<Double> earlyPlainMs = new ArrayList<>();
        List<Double> earlyDurableMs = new ArrayList<>();
        String warmUp;
        try (PlainAgentLoop plain = new PlainAgentLoop(modelUrl(), PlainTools.checkDisk(base.resolve("target/bench-workspace")))) {
            // warm-up, the same on both sides: class loading, then the JIT. B1 used to be measured after this first round,
            // while the server's compilers still took most of its CPU; that figure is kept beside the steady state's
            for (int w = 0; w < sizes.warmupTasks(); w++) {
                b1Task(api, plain, null, null);
            }
            b1Repetitions(api, plain, earlyPlainMs, earlyDurableMs);
            warmUp = warmUntilJitQuiet(api, server, plain);
            Path recording = base.resolve("target/bench-profile-b1.jfr");
            if (profile) {
                Profiles.start(server.jvm().pid(), recording);
            }
            Map<String, Long> compilers = compilerTicks(server);
            long measuredFrom = System.nanoTime();
            b1Repetitions(api, plain, plainMs, durableMs);
            warmUp += String.format(Locale.ROOT, ", and at %.1f %% while B1 was measured",
                    100 * compilerMillis(compilers, compilerTicks(server)) / ((System.nanoTime() - measuredFrom) / 1e6));
            if (profile) {
                Profiles.stop(server.jvm().pid());
                profiles.add(Profiles.summarize(recording, "Server profile during B1 (durable tasks, zero-latency model)", 15));
            }
            for (int r = 0; r < sizes.reps(); r++) {
                String scenario = script(sizes.b2Iterations(), sizes.b2LatencyMs());
                long t0 = System.nanoTime();
                plain.run(inputFor(scenario));
                plain2.add((System.nanoTime() - t0) / 1e6);
                model.forget(scenario);
                scenario = script(sizes.b2Iterations(), sizes.b2LatencyMs());
                durable2.add(durableTask(api, scenario));
                model.forget(scenario);
            }
        }
        Stats p = Stats.of(plainMs);
        Stats d = Stats.of(durableMs);
        Stats earlyPlain = Stats.of(earlyPlainMs);
        Stats earlyDurable = Stats.of(earlyDurableMs);
        row(new String[] {"B1", "durable overhead per iteration, zero-latency model (" + sizes.b1Iterations() + " iterations)",
                String.format(Locale.ROOT, "%.2f ms", d.median() - p.median()),
                "durable " + d.format("ms/it") + "; plain " + p.format("ms/it") + "; 2 commits per iteration (journal, chunk); "
                        + warmUp + String.format(Locale.ROOT, "; after %d warm-up tasks only, where the harness measured"
                        + " until 2026-11-30 (the JIT still busy): %.2f ms (durable %.2f, plain %.2f ms/it)",
                        sizes.warmupTasks(), earlyDurable.median() - earlyPlain.median(),
                        earlyDurable.median(), earlyPlain.median()),
                "≤ 2 ms", d.median() - p.median() <= 2 ? "met" : "missed"});
        Stats p2 = Stats.of(plain2);
        Stats d2 = Stats.of(durable2);
        double ratio = d2.median() / p2.median();
        row(new String[] {"B2", sizes.b2Iterations() + " iterations, " + sizes.b2LatencyMs() + " ms model: durable ÷ plain",
                String.format(Locale.ROOT, "%.3f", ratio), "durable " + d2.format("ms") + "; plain " + p2.format("ms"),
                "≤ 1.01", ratio <= 1.01 ? "met" : "missed"});
    }

    /** B1's repetitions: the plain loop's time per iteration, then the durable task's (server side, first start to end). */
    private void b1Repetitions(AgentBatchApi api, PlainAgentLoop plain, List<Double> plainMs, List<Double> durableMs)
            throws Exception {
        for (int r = 0; r < sizes.b1Reps(); r++) {
            b1Task(api, plain, plainMs, durableMs);
        }
    }

    /**
     * One task on each loop, each on a scenario of its own, scripted before its clock starts and forgotten after: the
     * plain loop's time per iteration into {@code plainMs}, the durable task's (server side) into {@code durableMs}
     * (null: a warm-up task).
     */
    private void b1Task(AgentBatchApi api, PlainAgentLoop plain, List<Double> plainMs, List<Double> durableMs)
            throws Exception {
        String scenario = script(sizes.b1Iterations(), 0);
        long t0 = System.nanoTime();
        int n = plain.run(inputFor(scenario));
        long took = System.nanoTime() - t0;
        model.forget(scenario);
        scenario = script(sizes.b1Iterations(), 0);
        double durable = durableTask(api, scenario);
        model.forget(scenario);
        if (plainMs != null) {
            plainMs.add(took / 1e6 / n);
            durableMs.add(durable / sizes.b1Iterations());
        }
    }

    /**
     * Rounds of {@link Sizes#warmupTasks()} tasks on each loop until the server's JIT compiler threads used less than
     * {@link #QUIET_JIT} of a core over a round, or {@link Sizes#warmupMaxTasks()} were run.
     *
     * @return what the warm-up did, for the report
     */
    private String warmUntilJitQuiet(AgentBatchApi api, ServerProcess server, PlainAgentLoop plain) throws Exception {
        int tasks = sizes.warmupTasks() + sizes.b1Reps(); // the first round and the early repetitions
        double share;
        List<String> shares = new ArrayList<>();
        do {
            Map<String, Long> compilers = compilerTicks(server);
            long t0 = System.nanoTime();
            for (int w = 0; w < sizes.warmupTasks(); w++) {
                b1Task(api, plain, null, null);
            }
            tasks += sizes.warmupTasks();
            share = compilerMillis(compilers, compilerTicks(server)) / ((System.nanoTime() - t0) / 1e6);
            shares.add(String.format(Locale.ROOT, "%.0f", share * 100));
        } while (share > QUIET_JIT && tasks < sizes.warmupMaxTasks());
        if (share > QUIET_JIT) {
            notes.add(String.format(Locale.ROOT, "B1 was measured with the server's JIT still busy: its compilers used %.0f %%"
                    + " of a core over the last of %d warm-up tasks.", share * 100, tasks));
        }
        notes.add("B1's warm-up: the server's JIT compilers used " + String.join(", ", shares) + " % of a core in its"
                + " successive rounds of " + sizes.warmupTasks() + " tasks on each loop.");
        return String.format(Locale.ROOT, "measured after %d warm-up tasks on each loop, the server's JIT compilers at"
                + " %.1f %% of a core over the last %d", tasks, share * 100, sizes.warmupTasks());
    }

    /**
     * B8: does an iteration cost more late in a long task? (durable − plain) per iteration over the last iterations of
     * a task with 2 KB tool results ÷ the same over its first iterations, both loops on the same script.
     */
    private void b8(AgentBatchApi api) throws Exception {
        int n = sizes.b8Iterations();
        int window = Math.max(2, Math.min(20, n / 5));
        List<Double> ratios = new ArrayList<>();
        List<Double> startOverheads = new ArrayList<>();
        List<Double> endOverheads = new ArrayList<>();
        try (PlainAgentLoop plain = new PlainAgentLoop(modelUrl(), PlainTools.httpRequest("127.0.0.1:" + TARGET_PORT))) {
            for (int r = 0; r < sizes.b8Reps(); r++) {
                List<Double> durableGaps = gaps(durableCommitTimes(api, httpScript(n, "/b8")));
                List<Long> ends = new ArrayList<>();
                int iterations = plain.run(inputFor(httpScript(n, "/b8")), ends);
                if (iterations != n || durableGaps.size() != n - 1) {
                    failures.add("B8: expected " + n + " iterations, plain ran " + iterations + ", durable " + (durableGaps.size() + 1));
                    return;
                }
                List<Double> plainGaps = new ArrayList<>();
                for (int i = 1; i < ends.size(); i++) {
                    plainGaps.add((ends.get(i) - ends.get(i - 1)) / 1e6);
                }
                double start = Stats.of(durableGaps.subList(0, window)).median() - Stats.of(plainGaps.subList(0, window)).median();
                double end = Stats.of(durableGaps.subList(n - 1 - window, n - 1)).median()
                        - Stats.of(plainGaps.subList(n - 1 - window, n - 1)).median();
                startOverheads.add(start);
                endOverheads.add(end);
                ratios.add(end / start);
            }
        }
        Stats s = Stats.of(ratios);
        row(new String[] {"B8", "(durable − plain) per iteration at iterations " + (n - window + 1) + "–" + n
                + " ÷ at iterations 2–" + (window + 1) + " (2 KB tool results)", String.format(Locale.ROOT, "%.2f", s.median()),
                "overhead at the start " + Stats.of(startOverheads).format("ms") + "; at the end "
                        + Stats.of(endOverheads).format("ms"), "≤ 1.3", s.median() <= 1.3 ? "met" : "missed"});
    }

    /** B3: N concurrent tasks × 5 iterations, 200 ms model; wall time ÷ ideal (1 s), and the server's CPU per iteration. */
    private void b3(AgentBatchApi api, ServerProcess server, double h2Commits, String setting) throws Exception {
        boolean pinned = pin(server.jvm().pid(), "0") && pin(ProcessHandle.current().pid(), "1");
        if (pinned) {
            notes.add("B3 ran with the server pinned to core 0 and the load generator and fake model (the benchmark's JVM)"
                    + " pinned to core 1 (`taskset`), so the server's CPU per iteration is its own.");
        }
        try {
            for (int n : sizes.b3Tasks()) {
                List<Double> ratios = new ArrayList<>();
                List<Double> cpuPerIteration = new ArrayList<>();
                int reps = n >= 1000 ? Math.min(2, sizes.reps()) : sizes.reps();
                Path recording = base.resolve("target/bench-profile-b3-" + n + ".jfr");
                boolean profiled = profile && n == sizes.b3Tasks()[sizes.b3Tasks().length - 1];
                if (profiled) {
                    Profiles.start(server.jvm().pid(), recording);
                }
                long leasesLost0 = leasesLost(server);
                for (int r = 0; r < reps; r++) {
                    double cpu0 = cpuMillis(server);
                    double wall = burst(api, n, 5, 200);
                    cpuPerIteration.add((cpuMillis(server) - cpu0) / (n * 5.0));
                    ratios.add(wall / 1000.0);
                }
                if (profiled) {
                    Profiles.stop(server.jvm().pid());
                    profiles.add(Profiles.summarize(recording, "Server profile during B3 (" + n + " tasks)", 15));
                }
                Stats s = Stats.of(ratios);
                Stats cpu = Stats.of(cpuPerIteration);
                String target = n == 200 ? "≤ 1.10" : n >= 1000 ? "≤ 1 ms server CPU per iteration" : "—";
                String verdict = n == 200 ? (s.median() <= 1.10 ? "met" : "missed") : n >= 1000 ? (cpu.median() <= 1.0 ? "met" : "missed") : "";
                row(new String[] {"B3", n + " tasks × 5 iterations, 200 ms model: wall ÷ ideal (" + setting + ")",
                        String.format(Locale.ROOT, "%.2f", s.median()), s.format("×") + "; server CPU " + cpu.format("ms/iteration")
                                + String.format(Locale.ROOT, "; %.0f iterations/s; H2 commit ceiling %.0f it/s (3 commits/it)",
                                n * 5 / s.median(), h2Commits / 3)
                                + "; heartbeats late enough to lose the lease: " + (leasesLost(server) - leasesLost0), target, verdict});
            }
        } finally {
            if (pinned) {
                pin(server.jvm().pid(), "0-" + (CORES - 1));
                pin(ProcessHandle.current().pid(), "0-" + (CORES - 1));
            }
        }
    }

    /**
     * How often the server's node lost its lease so far (its log's warning): a node too busy to beat stops dispatching,
     * which B3's wall time would otherwise hide.
     */
    private static long leasesLost(ServerProcess server) {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(
                server.home().resolve("standalone/log/server.log"), java.nio.charset.StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("lost its lease")).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    private void b3Default(AgentBatchApi api) {
        int n = mode == Mode.FULL ? 200 : 3;
        double wall = burst(api, n, 5, 200);
        row(new String[] {"B3", n + " tasks × 5 iterations, 200 ms model: wall ÷ ideal (default: cap 8, batch threads 64)",
                String.format(Locale.ROOT, "%.2f", wall / 1000.0), String.format(Locale.ROOT, "%.0f ms", wall),
                "(for comparison)", ""});
    }

    /** Submits n tasks at once and returns ms from the first submission to the last end. */
    private double burst(AgentBatchApi api, int n, int iterations, long latencyMs) {
        List<Long> ids = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inputs.add(inputFor(script(iterations, latencyMs)));
        }
        Instant start = Instant.now();
        inputs.parallelStream().forEach(input -> {
            long id = api.submit(Map.of("input", input));
            synchronized (ids) {
                ids.add(id);
            }
        });
        if (current != null && n >= 200) {
            peakRss = Math.max(peakRss, current.residentBytes());
        }
        lastBurst.clear();
        lastBurst.addAll(ids);
        Instant last = start;
        for (long id : ids) {
            JsonNode task = api.awaitTermination(id, Duration.ofMinutes(10));
            check(task);
            if (task.path("iterations").asInt() != iterations) {
                failures.add("burst: task " + id + " ran " + task.path("iterations").asInt() + " iterations, not " + iterations);
            }
            Instant ended = Instant.parse(task.path("endedAt").asText());
            last = ended.isAfter(last) ? ended : last;
        }
        return Duration.between(start, last).toNanos() / 1e6;
    }

    /** B5: submit → first model request on an idle node. */
    private void b5(AgentBatchApi api) {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < sizes.b5Samples(); i++) {
            String scenario = "bench-b5-" + UUID.randomUUID();
            model.scriptSimple(scenario, Reply.answer("ok"));
            long sent = System.currentTimeMillis();
            long id = api.submit(Map.of("input", "b5 [scenario:" + scenario + "]"));
            check(api.awaitTermination(id, Duration.ofMinutes(1)));
            latencies.add((double) (model.calls(scenario).get(0).atMillis() - sent));
        }
        double p50 = Stats.percentile(latencies, 50);
        double p99 = Stats.percentile(latencies, 99);
        row(new String[] {"B5", "dispatch latency on an idle node, submit → first model request (" + latencies.size() + " samples)",
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", p50, p99), "min " + Stats.of(latencies).min() + " ms",
                "p50 ≤ 50 ms, p99 ≤ 200 ms", p50 <= 50 && p99 <= 200 ? "met" : "missed"});
    }

    /**
     * Memory per running task: N tasks hold a 20 KB conversation each (a 20 KB tool result, then a model call the
     * harness holds); resident memory and heap after a full GC, against the same server idle.
     */
    private void memory(AgentBatchApi api, ServerProcess server, EffectTarget target) throws Exception {
        int n = sizes.memoryTasks();
        target.answerSize("/memory", 20 * 1024);
        long pid = server.jvm().pid();
        MemoryBreakdown breakdown = new MemoryBreakdown(pid);
        if (profile) {
            breakdown.idle();
        }
        long idleHeap = heapAfterGc(pid);
        long idleRss = server.residentBytes();
        CountDownLatch held = new CountDownLatch(1);
        List<Long> ids = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String scenario = "bench-mem-" + UUID.randomUUID();
            model.scriptSimple(scenario,
                    Reply.tools("http_request", "{\"method\":\"GET\",\"url\":\"http://127.0.0.1:" + TARGET_PORT + "/memory\"}"),
                    Reply.answer("done").heldBy(held));
            scenarios.add(scenario);
        }
        try {
            scenarios.parallelStream().forEach(s -> {
                long id = api.submit(Map.of("input", inputFor(s)));
                synchronized (ids) {
                    ids.add(id);
                }
            });
            for (String s : scenarios) {
                model.awaitCalls(s, 2, Duration.ofMinutes(5)); // each task holds its conversation, waiting on the model
            }
            long busyHeap = heapAfterGc(pid);
            long busyRss = server.residentBytes();
            peakRss = Math.max(peakRss, busyRss);
            double rssPerTask = (busyRss - idleRss) / 1024.0 / n;
            double heapPerTask = (busyHeap - idleHeap) / 1024.0 / n;
            row(new String[] {"M", "memory per running task, " + n + " tasks each holding a 20 KB conversation",
                    String.format(Locale.ROOT, "%.0f KB resident", rssPerTask),
                    String.format(Locale.ROOT, "heap after full GC %.0f KB per task; resident %d MB idle, %d MB with the tasks",
                            heapPerTask, idleRss / 1048576, busyRss / 1048576),
                    "≤ 150 KB", rssPerTask <= 150 ? "met" : "missed"});
            if (profile) {
                profiles.add(breakdown.busy(n, 15));
            }
        } finally {
            held.countDown();
        }
        for (long id : ids) {
            check(api.awaitTermination(id, Duration.ofMinutes(5)));
        }
    }

    /**
     * B6: N tasks RUNNING at kill -9; boot; time until all committed a new iteration ÷ cold boot. What each task had
     * committed at the kill is read from the database before the boot (recovery moves tasks on at once).
     */
    private void b6(ServerProcess server, Duration coldBoot, EffectTarget target) throws IOException {
        Duration firstBoot = server.start();
        Duration reference = coldBoot != null ? coldBoot : firstBoot;
        AgentBatchApi api = server.api();
        int n = sizes.b6Tasks();
        List<Long> ids = new ArrayList<>();
        // its own path: this server's task ids start at 1 again, so its idempotency keys (task, iteration, call id) are
        // those the earlier benchmarks' tasks already sent to the same target
        String path = "/b6-effect-" + UUID.randomUUID();
        // no task may end before the kill (on a slow day the first ones finished while the last were submitted): each
        // task's final answer is held until the server is dead, so every task is still running when it is killed
        CountDownLatch finish = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            String scenario = "bench-b6-" + UUID.randomUUID();
            List<Reply> replies = new ArrayList<>();
            for (int k = 0; k < 9; k++) {
                replies.add(Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:" + TARGET_PORT + path + "\"}")
                        .delayed(400));
            }
            replies.add(Reply.answer("done").delayed(400).heldBy(finish));
            model.scriptSimple(scenario, replies.toArray(Reply[]::new));
            ids.add(api.submit(Map.of("input", "b6 [scenario:" + scenario + "]")));
        }
        for (long id : ids) {
            api.awaitIterations(id, 1, Duration.ofMinutes(2));
        }
        server.kill9();
        Map<Long, Integer> atKill = new HashMap<>();
        for (Map<String, Object> row : JobRepository.queryAt(server.home().toString(), "select ID, ITERATIONS from AGENT_TASK")) {
            atKill.put(((Number) row.get("ID")).longValue(), ((Number) row.get("ITERATIONS")).intValue());
        }
        finish.countDown();
        Path recording = base.resolve("target/bench-profile-b6.jfr");
        if (profile) {
            // from the reboot's first instruction: recovery begins as the server resumes, before start() returns
            server.withEnv("JBOSS_JAVA_SIZING", jvmOptions("-Xms512m -Xmx2g")
                    + " -XX:StartFlightRecording=name=bench,settings=profile,filename=" + recording);
        }
        Instant start = Instant.now();
        Duration boot = server.start();
        double cpuAtUp = cpuMillis(server);
        Instant up = Instant.now();
        AgentBatchApi after = server.api();
        for (long id : ids) {
            after.awaitIterations(id, atKill.get(id) + 1, Duration.ofMinutes(5));
        }
        double recovered = Duration.between(start, Instant.now()).toNanos() / 1e6;
        double recoveryCpu = cpuMillis(server) - cpuAtUp;
        double recoveryWall = Duration.between(up, Instant.now()).toNanos() / 1e6;
        if (profile) {
            try {
                Profiles.stop(server.jvm().pid());
                profiles.add(Profiles.summarize(recording, "Server profile during B6 (the reboot and the recovery of "
                        + n + " tasks)", 15));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("B6 profile: " + e, e);
            }
        }
        int wrong = 0;
        for (long id : ids) {
            JsonNode task = after.awaitTermination(id, Duration.ofMinutes(5));
            check(task);
            wrong += task.path("iterations").asInt() == 10 ? 0 : 1;
        }
        int raw = target.rawCount(path);
        int distinct = target.distinctKeys(path);
        if (distinct != n * 9 || wrong != 0) {
            failures.add("B6: " + distinct + " distinct effects of " + n * 9 + " expected, " + wrong + " tasks with a wrong iteration count");
        }
        double ratio = recovered / reference.toMillis();
        row(new String[] {"B6", n + " tasks RUNNING at kill -9: boot → all committed a new iteration, ÷ cold boot",
                String.format(Locale.ROOT, "%.2f", ratio),
                String.format(Locale.ROOT, "%.0f ms vs cold boot %d ms (this boot %d ms, first boot %d ms; after the boot %.0f ms,"
                                + " server CPU %.0f ms); effects: %d requests, %d distinct keys, %d expected; %d tasks with a wrong iteration count",
                        recovered, reference.toMillis(), boot.toMillis(), firstBoot.toMillis(), recoveryWall, recoveryCpu,
                        raw, distinct, n * 9, wrong),
                "≤ 1.2, 0 duplicates", ratio <= 1.2 && distinct == n * 9 && wrong == 0 ? "met" : "missed"});
    }

    /**
     * B7: the same bursts on 1, 2 and 3 nodes sharing one PostgreSQL, as a ratio to one node. Once bound by the cap
     * (a model slow enough that 3 nodes × cap 8 should give 3 × one node), once by the CPU (a zero-latency model).
     */
    private void b7(double h2Commits) throws Exception {
        try (Postgres db = Postgres.create("agentbatch_bench")) {
            double pgCommits = probePgCommitRate(db);
            List<ServerProcess> nodes = new ArrayList<>();
            Map<Integer, Double> capBound = new HashMap<>();
            Map<Integer, Double> cpuBound = new HashMap<>();
            try {
                for (int count = 1; count <= sizes.b7Nodes(); count++) {
                    ServerProcess node = ServerProcess.copyOfProvisioned("bench-node-" + count, 820 + 10 * count, Map.of(
                                    "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL", modelUrl(), "OPENAI_MODEL", "fake-model",
                                    "AGENT_BATCH_WORKSPACE", base.resolve("target/bench-workspace").toString(),
                                    "AGENT_BATCH_MAX_CONCURRENT_TASKS", Integer.toString(B7_CAP)))
                            .withEnv("AGENT_BATCH_NODE_ID", "bench-node-" + count)
                            .withEnv("JBOSS_JAVA_SIZING", jvmOptions("-Xms256m -Xmx1g"));
                    db.serverEnvironment().forEach(node::withEnv);
                    node.start();
                    nodes.add(node);
                    AgentBatchApi api = nodes.get(0).api();
                    burst(api, B7_CAP * count, 2, 0); // warm-up: the new node's first tasks load classes and compile
                    capBound.put(count, b7Burst(api, db, sizes.b7CapTasks(), 2, sizes.b7CapLatencyMs(), count));
                    cpuBound.put(count, b7Burst(api, db, sizes.b7CpuTasks(), 5, 0, count));
                }
            } finally {
                nodes.forEach(ServerProcess::close);
            }
            for (int count = 2; count <= sizes.b7Nodes(); count++) {
                double cap = capBound.get(1) / capBound.get(count);
                double cpu = cpuBound.get(1) / cpuBound.get(count);
                row(new String[] {"B7", count + " nodes ÷ 1 node on one PostgreSQL, cap-bound: " + sizes.b7CapTasks()
                        + " tasks × 2 iterations, " + sizes.b7CapLatencyMs() + " ms model, cap " + B7_CAP + " per node",
                        String.format(Locale.ROOT, "%.2f × throughput", cap),
                        String.format(Locale.ROOT, "1 node %.0f ms, %d nodes %.0f ms; ideal %d ×", capBound.get(1), count,
                                capBound.get(count), count), "≈ " + count + " ×", cap >= 0.9 * count ? "met" : "missed"});
                row(new String[] {"B7", count + " nodes ÷ 1 node on one PostgreSQL, CPU-bound: " + sizes.b7CpuTasks()
                        + " tasks × 5 iterations, zero-latency model", String.format(Locale.ROOT, "%.2f × throughput", cpu),
                        String.format(Locale.ROOT, "1 node %.0f ms, %d nodes %.0f ms (all nodes on the same %d cores)",
                                cpuBound.get(1), count, cpuBound.get(count), CORES),
                        "(what the cores allow)", ""});
            }
            notes.add(String.format(Locale.ROOT, "Commit rates on this machine, one connection, one small insert per commit:"
                    + " H2 file (WRITE_DELAY=0) %.0f commits/s, PostgreSQL 15 (local, default fsync) %.0f commits/s.", h2Commits, pgCommits));
        }
    }

    /** One burst through the first node; returns ms from the first submission to the last end. */
    private double b7Burst(AgentBatchApi api, Postgres db, int n, int iterations, long latencyMs, int nodes) {
        double wall = burst(api, n, iterations, latencyMs);
        if (nodes > 1) {
            long used = db.count("select count(distinct NODE_ID) from AGENT_TASK where ID in ("
                    + String.join(",", lastBurst.stream().map(String::valueOf).toList()) + ")");
            if (used < 2) {
                failures.add("B7: a burst on " + nodes + " nodes ran on " + used + " node(s)");
            }
        }
        return wall;
    }

    /** The H2 file database's own commit rate on this machine. */
    private double probeH2CommitRate() throws Exception {
        Path dir = base.resolve("target/bench-h2");
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("probe.mv.db"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("probe") + ";WRITE_DELAY=0", "sa", "sa")) {
            return probeCommitRate(c, "create table if not exists PROBE(ID bigint auto_increment primary key, PAYLOAD varchar(4000))");
        }
    }

    private double probePgCommitRate(Postgres db) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), "")) {
            return probeCommitRate(c, "create table if not exists PROBE(ID bigserial primary key, PAYLOAD varchar(4000))");
        }
    }

    private double probeCommitRate(Connection c, String ddl) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(ddl);
        }
        c.setAutoCommit(false);
        long end = System.nanoTime() + (mode == Mode.FULL ? 3_000_000_000L : 300_000_000L);
        long commits = 0;
        long t0 = System.nanoTime();
        try (PreparedStatement insert = c.prepareStatement("insert into PROBE(PAYLOAD) values (?)")) {
            while (System.nanoTime() < end) {
                insert.setString(1, "x".repeat(500));
                insert.executeUpdate();
                c.commit();
                commits++;
            }
        }
        return commits / ((System.nanoTime() - t0) / 1e9);
    }

    /** A scripted scenario: iterations − 1 check_disk turns, then an answer, each after latencyMs. */
    private String script(int iterations, long latencyMs) {
        String scenario = "bench-" + UUID.randomUUID();
        List<Reply> replies = new ArrayList<>();
        for (int i = 1; i < iterations; i++) {
            replies.add(Reply.tools("check_disk", "{}").delayed(latencyMs));
        }
        replies.add(Reply.answer("done").delayed(latencyMs));
        model.scriptSimple(scenario, replies.toArray(Reply[]::new));
        return scenario;
    }

    /** iterations − 1 GETs of the target's 2 KB answer, then an answer, zero latency. */
    private String httpScript(int iterations, String path) {
        String scenario = "bench-http-" + UUID.randomUUID();
        List<Reply> replies = new ArrayList<>();
        for (int i = 1; i < iterations; i++) {
            replies.add(Reply.tools("http_request", "{\"method\":\"GET\",\"url\":\"http://127.0.0.1:" + TARGET_PORT + path + "\"}"));
        }
        replies.add(Reply.answer("done"));
        model.scriptSimple(scenario, replies.toArray(Reply[]::new));
        return scenario;
    }

    private static String inputFor(String scenario) {
        return "bench [scenario:" + scenario + "]";
    }

    /** Runs one durable task and returns its server-side run time (first start to end) in ms. */
    private double durableTask(AgentBatchApi api, String scenario) {
        // the plain loop's one tool, so that both loops send the model the same tool list
        long id = api.submit(Map.of("input", inputFor(scenario), "maxIterations", 1000, "tools", List.of("check_disk")));
        JsonNode task = api.awaitTermination(id, Duration.ofMinutes(10));
        check(task);
        return Duration.between(Instant.parse(task.path("startedAt").asText()), Instant.parse(task.path("endedAt").asText()))
                .toNanos() / 1e6;
    }

    /** Runs one durable task and returns the commit time of each of its iterations (the transcript's model turns). */
    private List<Instant> durableCommitTimes(AgentBatchApi api, String scenario) {
        long id = api.submit(Map.of("input", inputFor(scenario), "maxIterations", 1000, "tools", List.of("http_request")));
        check(api.awaitTermination(id, Duration.ofMinutes(10)));
        return StreamSupport.stream(api.get("/tasks/" + id + "/transcript").body().path("messages").spliterator(), false)
                .filter(m -> m.path("role").asText().equals("assistant"))
                .map(m -> Instant.parse(m.path("createdAt").asText())).toList();
    }

    private static List<Double> gaps(List<Instant> times) {
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < times.size(); i++) {
            gaps.add(Duration.between(times.get(i - 1), times.get(i)).toNanos() / 1e6);
        }
        return gaps;
    }

    private void check(JsonNode task) {
        if (!"COMPLETED".equals(task.path("state").asText())) {
            failures.add("a benchmark task did not complete: " + task);
            throw new IllegalStateException("benchmark task did not complete: " + task);
        }
    }

    /** The JVM's user + system CPU time, from /proc (clock ticks of 10 ms). */
    private static double cpuMillis(ServerProcess server) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + server.jvm().pid() + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10.0;
    }

    /** The CPU time of each of the JVM's JIT compiler threads (C1 and C2) by thread id, from /proc (ticks of 10 ms). */
    private static Map<String, Long> compilerTicks(ServerProcess server) throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (var threads = Files.list(Path.of("/proc/" + server.jvm().pid() + "/task"))) {
            for (Path thread : threads.toList()) {
                try {
                    if (!Files.readString(thread.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(thread.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a compiler thread the JVM stopped meanwhile (it adds and removes them with the load)
                }
            }
        }
        return ticks;
    }

    /** The compilers' CPU milliseconds between two {@link #compilerTicks} (a thread that ended counts what it had then). */
    private static double compilerMillis(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum() * 10.0;
    }

    /** Pins every thread of a process to the given cores; false when it cannot (one core, no taskset). */
    private static boolean pin(long pid, String cpus) {
        if (CORES < 2) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-cp", cpus, Long.toString(pid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The server's used heap after a full GC (jcmd GC.run, then GC.heap_info), in bytes. */
    private static long heapAfterGc(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true).start().waitFor();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : 0;
    }

    private String report(double h2Commits) {
        StringBuilder b = new StringBuilder();
        b.append("| # | measurement | result | absolute values | target | |\n|---|---|---|---|---|---|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nH2 file database on this machine (WRITE_DELAY=0, one connection): %.0f commits/s.%n",
                h2Commits));
        if (peakRss > 0) {
            b.append(String.format(Locale.ROOT, "%nServer resident memory at its peak (heap -Xmx2g): %.0f MB.%n", peakRss / 1048576.0));
        }
        notes.forEach(n -> b.append("\n").append(n).append("\n"));
        profiles.forEach(p -> b.append("\n").append(p));
        return b.toString();
    }

    List<String[]> rows() {
        return rows;
    }

    /** What a measurement got wrong (not how long it took): tasks that did not complete, repeated effects… */
    List<String> failures() {
        return failures;
    }

    Set<String> only() {
        return only;
    }
}
