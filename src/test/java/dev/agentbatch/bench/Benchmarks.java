package dev.agentbatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.AgentBatchApi;
import dev.agentbatch.it.EffectTarget;
import dev.agentbatch.it.FakeOpenAiServer;
import dev.agentbatch.it.FakeOpenAiServer.Reply;
import dev.agentbatch.it.ServerProcess;
import dev.agentbatch.tools.PlainTools;

/**
 * The benchmark harness (issue: durability cost per iteration, tasks per node). Every figure is a ratio against a
 * baseline measured in the same run, with absolute values for context: the plain in-memory loop for the loop's
 * cost, the ideal time for concurrency, the database's own commit rate for the durable ceiling, the cold boot for
 * recovery. Runs against the real provisioned server (a private copy, as a process) and a fake OpenAI server whose
 * latency it sets. {@link Mode#SMOKE} runs every measurement tiny (seconds) so the harness cannot rot.
 */
final class Benchmarks {

    enum Mode { SMOKE, FULL }

    record Sizes(int reps, int b1Iterations, int b2Iterations, long b2LatencyMs, int[] b3Tasks, int b4Iterations,
                 int b5Samples, int b6Tasks) {
        static Sizes of(Mode mode) {
            return mode == Mode.FULL
                    ? new Sizes(3, 50, 20, 500, new int[] {10, 200, 1000}, 100, 50, 100)
                    : new Sizes(1, 5, 2, 100, new int[] {3}, 5, 3, 3);
        }
    }

    private static final int TARGET_PORT = 18091;
    private final Mode mode;
    private final Sizes sizes;
    private final FakeOpenAiServer model = FakeOpenAiServer.shared();
    private final Path base = Path.of(System.getProperty("project.basedir", "."));
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private ServerProcess current;
    private long peakRss;

    Benchmarks(Mode mode) {
        this.mode = mode;
        this.sizes = Sizes.of(mode);
    }

    /** Runs B1–B6 and returns the report (Markdown). */
    String run() throws Exception {
        double commitsPerSecond = probeCommitRate();
        try (EffectTarget target = new EffectTarget(TARGET_PORT)) {
            target.answerSize(2048);
            Duration coldBoot;
            try (ServerProcess server = server("bench-server", 1010, 1000)) {
                coldBoot = server.start();
                AgentBatchApi api = server.api();
                b1b2(api);
                this.current = server;
                b3(api, commitsPerSecond, "recommended: cap 1000, batch threads 1010");
                b4(api);
                b5(api);
            }
            try (ServerProcess server = server("bench-default", 64, 8)) {
                server.start();
                b3Default(server.api());
            }
            try (ServerProcess server = server("bench-recovery", 1010, 1000)) {
                b6(server, coldBoot, target);
            }
        }
        return report(commitsPerSecond);
    }

    private ServerProcess server(String name, int threads, int cap) {
        return ServerProcess.copyOfProvisioned(name, 800, Map.of(
                        "OPENAI_API_KEY", "bench", "OPENAI_BASE_URL", modelUrl(), "OPENAI_MODEL", "fake-model",
                        "AGENT_BATCH_WORKSPACE", base.resolve("target/bench-workspace").toString(),
                        "AGENT_BATCH_HTTP_ALLOWED_HOSTS", "127.0.0.1:" + TARGET_PORT,
                        "AGENT_BATCH_MAX_CONCURRENT_TASKS", Integer.toString(cap)))
                .withEnv("AGENT_BATCH_BATCH_THREADS", Integer.toString(threads))
                .withEnv("JBOSS_JAVA_SIZING", "-Xms512m -Xmx2g -XX:MetaspaceSize=96M -XX:MaxMetaspaceSize=512m");
    }

    private static String modelUrl() {
        return "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1";
    }

    /** B1 (zero-latency model) and B2 (500 ms model): the same task, durable vs plain. */
    private void b1b2(AgentBatchApi api) throws Exception {
        List<Double> plainMs = new ArrayList<>();
        List<Double> durableMs = new ArrayList<>();
        List<Double> plain2 = new ArrayList<>();
        List<Double> durable2 = new ArrayList<>();
        try (PlainAgentLoop plain = new PlainAgentLoop(modelUrl(), PlainTools.checkDisk(base.resolve("target/bench-workspace")))) {
            durableTask(api, script(3, 0)); // warm-up: the first task loads classes on both sides
            plain.run(inputFor(script(3, 0)));
            for (int r = 0; r < sizes.reps(); r++) {
                String s1 = script(sizes.b1Iterations(), 0);
                long t0 = System.nanoTime();
                int n = plain.run(inputFor(s1));
                plainMs.add((System.nanoTime() - t0) / 1e6 / n);
                durableMs.add(durableTask(api, script(sizes.b1Iterations(), 0)) / sizes.b1Iterations());
            }
            for (int r = 0; r < sizes.reps(); r++) {
                long t0 = System.nanoTime();
                plain.run(inputFor(script(sizes.b2Iterations(), sizes.b2LatencyMs())));
                plain2.add((System.nanoTime() - t0) / 1e6);
                durable2.add(durableTask(api, script(sizes.b2Iterations(), sizes.b2LatencyMs())));
            }
        }
        Stats p = Stats.of(plainMs);
        Stats d = Stats.of(durableMs);
        rows.add(new String[] {"B1", "durable overhead per iteration, zero-latency model (" + sizes.b1Iterations() + " iterations)",
                String.format(Locale.ROOT, "%.2f ms", d.median() - p.median()),
                "durable " + d.format("ms/it") + "; plain " + p.format("ms/it") + "; 2 commits per iteration (journal, chunk)",
                "≤ 2 ms", d.median() - p.median() <= 2 ? "met" : "missed"});
        Stats p2 = Stats.of(plain2);
        Stats d2 = Stats.of(durable2);
        double ratio = d2.median() / p2.median();
        rows.add(new String[] {"B2", sizes.b2Iterations() + " iterations, " + sizes.b2LatencyMs() + " ms model: durable ÷ plain",
                String.format(Locale.ROOT, "%.3f", ratio), "durable " + d2.format("ms") + "; plain " + p2.format("ms"),
                "≤ 1.01", ratio <= 1.01 ? "met" : "missed"});
    }

    /** B3: N concurrent tasks × 5 iterations, 200 ms model; wall time ÷ ideal (1 s). */
    private void b3(AgentBatchApi api, double commitsPerSecond, String setting) {
        for (int n : sizes.b3Tasks()) {
            List<Double> ratios = new ArrayList<>();
            List<Double> rates = new ArrayList<>();
            int reps = n >= 1000 ? Math.min(2, sizes.reps()) : sizes.reps();
            for (int r = 0; r < reps; r++) {
                double wall = burst(api, n, 5, 200);
                ratios.add(wall / 1000.0);
                rates.add(n * 5 / (wall / 1000.0));
            }
            Stats s = Stats.of(ratios);
            String target = n == 200 ? "≤ 1.10" : n >= 1000 ? "≥ 70 % of ceiling" : "—";
            String verdict = n == 200 ? (s.median() <= 1.10 ? "met" : "missed") : "";
            String extra = "";
            if (n >= 1000 || mode == Mode.SMOKE) {
                double ceiling = commitsPerSecond / 3.0;
                double share = Stats.of(rates).median() / ceiling;
                extra = String.format(Locale.ROOT, "; %.0f it/s = %.0f %% of the durable ceiling (%.0f commits/s ÷ 3 commits/it = %.0f it/s)",
                        Stats.of(rates).median(), share * 100, commitsPerSecond, ceiling);
                if (n >= 1000) {
                    verdict = share >= 0.70 ? "met" : "missed";
                }
            }
            rows.add(new String[] {"B3", n + " tasks × 5 iterations, 200 ms model: wall ÷ ideal (" + setting + ")",
                    String.format(Locale.ROOT, "%.2f", s.median()), s.format("×") + extra, target, verdict});
        }
    }

    private void b3Default(AgentBatchApi api) {
        int n = mode == Mode.FULL ? 200 : 3;
        double wall = burst(api, n, 5, 200);
        rows.add(new String[] {"B3", n + " tasks × 5 iterations, 200 ms model: wall ÷ ideal (default: cap 8, batch threads 64)",
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
            AgentBatchApi.pause(300); // all submitted and mostly running
            peakRss = Math.max(peakRss, current.residentBytes());
        }
        Instant last = start;
        for (long id : ids) {
            JsonNode task = api.awaitTermination(id, Duration.ofMinutes(10));
            check(task);
            Instant ended = Instant.parse(task.path("endedAt").asText());
            last = ended.isAfter(last) ? ended : last;
        }
        return Duration.between(start, last).toNanos() / 1e6;
    }

    /** B4: ms per iteration at iteration 100 ÷ at iteration 1, 2 KB tool results, zero-latency model. */
    private void b4(AgentBatchApi api) {
        List<Double> ratios = new ArrayList<>();
        List<Double> early = new ArrayList<>();
        List<Double> late = new ArrayList<>();
        int n = sizes.b4Iterations();
        for (int r = 0; r < sizes.reps(); r++) {
            String scenario = "bench-b4-" + UUID.randomUUID();
            List<Reply> replies = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                replies.add(Reply.tools("http_request", "{\"method\":\"GET\",\"url\":\"http://127.0.0.1:" + TARGET_PORT + "/log\"}"));
            }
            replies.add(Reply.answer("done"));
            model.scriptSimple(scenario, replies.toArray(Reply[]::new));
            long id = api.submit(Map.of("input", "b4 [scenario:" + scenario + "]", "maxIterations", n + 1));
            check(api.awaitTermination(id, Duration.ofMinutes(10)));
            List<Instant> committed = StreamSupport.stream(api.get("/tasks/" + id + "/transcript").body().path("messages").spliterator(), false)
                    .filter(m -> m.path("role").asText().equals("assistant"))
                    .map(m -> Instant.parse(m.path("createdAt").asText())).toList();
            List<Double> gaps = new ArrayList<>();
            for (int i = 1; i < committed.size(); i++) {
                gaps.add(Duration.between(committed.get(i - 1), committed.get(i)).toNanos() / 1e6);
            }
            int window = Math.max(1, Math.min(10, gaps.size() / 3));
            double first = Stats.of(gaps.subList(0, window)).median();
            double lastGaps = Stats.of(gaps.subList(gaps.size() - window, gaps.size())).median();
            early.add(first);
            late.add(lastGaps);
            ratios.add(lastGaps / first);
        }
        Stats s = Stats.of(ratios);
        rows.add(new String[] {"B4", "ms per iteration at iteration " + n + " ÷ at the start (2 KB tool results)",
                String.format(Locale.ROOT, "%.2f", s.median()),
                "start " + Stats.of(early).format("ms") + "; end " + Stats.of(late).format("ms") + "; checkpoint = 1 integer",
                "≤ 1.3", s.median() <= 1.3 ? "met" : "missed"});
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
        rows.add(new String[] {"B5", "dispatch latency on an idle node, submit → first model request (" + latencies.size() + " samples)",
                String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", p50, p99), "min " + Stats.of(latencies).min() + " ms",
                "p50 ≤ 50 ms, p99 ≤ 200 ms", p50 <= 50 && p99 <= 200 ? "met" : "missed"});
    }

    /** B6: N tasks RUNNING at kill -9; boot; time until all committed a new iteration ÷ cold boot. */
    private void b6(ServerProcess server, Duration coldBoot, EffectTarget target) {
        Duration firstBoot = server.start();
        AgentBatchApi api = server.api();
        int n = sizes.b6Tasks();
        List<Long> ids = new ArrayList<>();
        int rawBefore = target.rawCount();
        int keysBefore = target.distinctKeys();
        for (int i = 0; i < n; i++) {
            String scenario = "bench-b6-" + UUID.randomUUID();
            List<Reply> replies = new ArrayList<>();
            for (int k = 0; k < 9; k++) {
                replies.add(Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"http://127.0.0.1:" + TARGET_PORT + "/effect\"}")
                        .delayed(400));
            }
            replies.add(Reply.answer("done").delayed(400));
            model.scriptSimple(scenario, replies.toArray(Reply[]::new));
            ids.add(api.submit(Map.of("input", "b6 [scenario:" + scenario + "]")));
        }
        for (long id : ids) {
            api.awaitIterations(id, 1, Duration.ofMinutes(2));
        }
        Map<Long, Integer> atKill = new java.util.HashMap<>();
        server.kill9();
        Instant start = Instant.now();
        Duration boot = server.start();
        AgentBatchApi after = server.api();
        for (long id : ids) {
            atKill.put(id, after.task(id).path("iterations").asInt());
        }
        for (long id : ids) {
            after.awaitIterations(id, atKill.get(id) + 1, Duration.ofMinutes(5));
        }
        double recovered = Duration.between(start, Instant.now()).toNanos() / 1e6;
        int duplicates = 0;
        for (long id : ids) {
            JsonNode task = after.awaitTermination(id, Duration.ofMinutes(5));
            check(task);
            duplicates += task.path("iterations").asInt() == 10 ? 0 : 1;
        }
        int raw = target.rawCount() - rawBefore;
        int distinct = target.distinctKeys() - keysBefore;
        double ratio = recovered / coldBoot.toMillis();
        rows.add(new String[] {"B6", n + " tasks RUNNING at kill -9: boot → all committed a new iteration, ÷ cold boot",
                String.format(Locale.ROOT, "%.2f", ratio),
                String.format(Locale.ROOT, "%.0f ms vs cold boot %d ms (this boot %d ms, first boot %d ms); effects: %d requests, %d distinct keys, %d expected; %d tasks with a wrong iteration count",
                        recovered, coldBoot.toMillis(), boot.toMillis(), firstBoot.toMillis(), raw, distinct, n * 9, duplicates),
                "≤ 1.2, 0 duplicates", ratio <= 1.2 && distinct == n * 9 && duplicates == 0 ? "met" : "missed"});
    }

    /** The database's own commit rate on this machine: the durable ceiling's numerator. */
    private double probeCommitRate() throws Exception {
        Path dir = base.resolve("target/bench-h2");
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("probe.mv.db"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("probe") + ";WRITE_DELAY=0", "sa", "sa")) {
            try (Statement s = c.createStatement()) {
                s.execute("create table if not exists PROBE(ID bigint auto_increment primary key, PAYLOAD varchar(4000))");
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

    private static String inputFor(String scenario) {
        return "bench [scenario:" + scenario + "]";
    }

    /** Runs one durable task and returns its server-side run time (first start to end) in ms. */
    private double durableTask(AgentBatchApi api, String scenario) {
        long id = api.submit(Map.of("input", inputFor(scenario), "maxIterations", 1000));
        JsonNode task = api.awaitTermination(id, Duration.ofMinutes(10));
        check(task);
        return Duration.between(Instant.parse(task.path("startedAt").asText()), Instant.parse(task.path("endedAt").asText()))
                .toNanos() / 1e6;
    }

    private static void check(JsonNode task) {
        if (!"COMPLETED".equals(task.path("state").asText())) {
            throw new IllegalStateException("benchmark task did not complete: " + task);
        }
    }

    private String report(double commitsPerSecond) {
        StringBuilder b = new StringBuilder();
        b.append("| # | measurement | result | absolute values | target | |\n|---|---|---|---|---|---|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nH2 file database on this machine (WRITE_DELAY=0, one connection): %.0f commits/s.%n",
                commitsPerSecond));
        if (peakRss > 0) {
            b.append(String.format(Locale.ROOT, "%nServer resident memory with the largest burst running (heap -Xmx2g): %.0f MB.%n",
                    peakRss / 1048576.0));
        }
        notes.forEach(n -> b.append("\n").append(n).append("\n"));
        return b.toString();
    }

    List<String[]> rows() {
        return rows;
    }
}
