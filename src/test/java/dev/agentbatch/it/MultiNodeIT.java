package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Isolated;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * Several WildFly nodes on one PostgreSQL: two real servers (copies of target/server, their own node names and port
 * offsets, one shared workspace) on a database of the test's own. They share the queue within each node's cap; a node
 * killed with SIGKILL, frozen with SIGSTOP or stopped with SIGTERM costs its tasks a few seconds and never an
 * iteration, a repeated effect (distinct idempotency keys = effects) or a model answer paid twice; a database restart
 * loses nothing; and any node answers for any task. The scenarios run in order on the same two nodes, restarting a
 * node a scenario took down. Takeover times are reported, not asserted: correctness comes from the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Isolated
class MultiNodeIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();
    private static final EffectTarget TARGET = EffectTarget.shared();
    private static final int CAP = 10;
    private static final Duration LONG = Duration.ofSeconds(180);
    private static Postgres db;
    private static ServerProcess a;
    private static ServerProcess b;

    @BeforeAll
    static void boot() throws Exception {
        db = Postgres.create("agentbatch_it");
        Path workspace = Path.of(System.getProperty("project.basedir", ".")).resolve("target/multinode-workspace");
        Files.createDirectories(workspace);
        a = node("node-a", 610, workspace);
        b = node("node-b", 620, workspace);
        Thread bootA = new Thread(a::start);
        bootA.start();
        b.start();
        bootA.join();
        a.api().get("/health"); // both answer
    }

    @AfterAll
    static void shutdown() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The task ends COMPLETED; otherwise the failure carries the task and both nodes' log lines about it. */
    private static void assertCompleted(ServerProcess via, long id) {
        JsonNode task = via.api().awaitTermination(id, LONG);
        if (!"COMPLETED".equals(task.path("state").asText())) {
            throw new AssertionError("task " + id + " ended " + task.path("state").asText() + ", not COMPLETED: " + task
                    + a.logOf(id) + b.logOf(id));
        }
    }

    private static ServerProcess node(String name, int offset, Path workspace) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "OPENAI_API_KEY", "it-test-key",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", workspace.toString(),
                "AGENT_BATCH_HTTP_ALLOWED_HOSTS", EffectTarget.baseUrl().substring("http://".length()),
                "AGENT_BATCH_MAX_CONCURRENT_TASKS", Integer.toString(CAP),
                "AGENT_BATCH_DISPATCH_SWEEP_MS", "1000",
                "AGENT_BATCH_NODE_HEARTBEAT_MS", "500",
                "AGENT_BATCH_NODE_LEASE_MS", "3000",
                "agent-batch.retry.backoff.jitter", "0"));
        ServerProcess node = ServerProcess.copyOfProvisioned(name + "-server", offset, properties).withEnv("AGENT_BATCH_NODE_ID", name);
        db.serverEnvironment().forEach(node::withEnv);
        return node;
    }

    @Test
    @Order(1)
    void bothNodesShareTheQueueAndEachKeepsItsCap() throws Exception {
        // given: 40 tasks of two iterations, submitted half through each node
        Map<Long, String> tasks = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            String scenario = scripted("shared", 2, 300);
            ServerProcess via = i % 2 == 0 ? a : b;
            tasks.put(via.api().submit(Map.of("input", "shared " + i + " [scenario:" + scenario + "]")), scenario);
        }

        // when: the database is sampled while they run
        Map<String, Long> peak = new ConcurrentHashMap<>();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                for (Map<String, Object> row : db.query("select NODE_ID, count(*) N from AGENT_TASK where STATE in"
                        + " ('STARTING', 'RUNNING') and NODE_ID is not null group by NODE_ID")) {
                    peak.merge((String) row.get("NODE_ID"), ((Number) row.get("N")).longValue(), Math::max);
                }
                AgentBatchApi.pause(50);
            }
        });
        sampler.start();
        for (long id : tasks.keySet()) {
            assertCompleted(a, id);
        }
        sampling.set(false);
        sampler.join();

        // then: both ran some, each within its cap, every task once
        Map<String, Long> ranOn = new TreeMap<>();
        for (long id : tasks.keySet()) {
            JsonNode task = b.api().task(id);
            ranOn.merge(task.path("node").asText(), 1L, Long::sum);
            assertEquals(2, task.path("iterations").asInt(), task.toString());
            assertEquals(1, db.count("select count(*) from JOB_EXECUTION where JOBINSTANCEID = ?", task.path("jobInstanceId").asLong()),
                    "task " + id + " ran in one execution");
            CrashRecoveryIT.assertContiguous(a.api(), id, 2);
        }
        assertEquals(Set.of("node-a", "node-b"), ranOn.keySet(), "both nodes ran tasks: " + ranOn);
        peak.forEach((node, max) -> assertTrue(max <= CAP, node + " ran " + max + " tasks at once, more than its cap " + CAP));
        System.out.printf("multi-node shared work: 40 tasks ran on %s; peak per node %s (cap %d)%n", ranOn, peak, CAP);
    }

    @Test
    @Order(2)
    void anyNodeFollowsStopsAndRestartsATaskThatRunsOnTheOther() throws Exception {
        // given: a task whose second model call the test holds
        CountDownLatch held = new CountDownLatch(1);
        String scenario = "other-" + UUID.randomUUID().toString().substring(0, 8);
        MODEL.script(scenario, List.of(List.of(Reply.tools("check_disk", "{}")), List.of(Reply.tools("check_disk", "{}").heldBy(held)),
                List.of(Reply.tools("check_disk", "{}")), List.of(Reply.answer("done"))));
        long id = a.api().submit(Map.of("input", "Far [scenario:" + scenario + "]"));
        MODEL.awaitCalls(scenario, 2, LONG);
        JsonNode running = a.api().task(id);
        ServerProcess other = "node-a".equals(running.path("node").asText()) ? b : a;
        String events = "/tasks/" + id + "/events";

        // when: the other node streams it, stops it, then restarts it
        try (SseClient stream = SseClient.open(other.api(), events)) {
            stream.await(e -> "task".equals(e.name()), LONG);
            assertEquals(200, other.api().post("/tasks/" + id + "/stop", Map.of()).status());
            held.countDown();
            stream.awaitEnd(LONG);

            // then: the stream of the other node carried the running node's iteration and the stop, ids in order
            List<SseClient.Event> seen = stream.events();
            assertTrue(seen.stream().anyMatch(e -> "iteration".equals(e.name()) && e.data().contains("\"iteration\":2")), seen.toString());
            assertTrue(seen.get(seen.size() - 1).data().contains("\"STOPPED\""), seen.toString());
            assertIncreasingIds(seen);
            // …and a client that reconnects with Last-Event-ID gets what came after it
            try (SseClient replay = SseClient.open(other.api(), events, seen.get(0).id())) {
                replay.awaitEnd(LONG);
                assertEquals(seen.subList(1, seen.size()), replay.events(), "the replay is the rest of the stream");
            }
        }
        assertEquals("STOPPED", a.api().awaitTermination(id, LONG).path("state").asText());
        assertEquals(202, other.api().post("/tasks/" + id + "/restart", Map.of()).status());
        JsonNode done = other.api().await(id, t -> "COMPLETED".equals(t.path("state").asText()), "to complete", LONG);
        assertEquals(4, done.path("iterations").asInt(), done.toString());
        CrashRecoveryIT.assertContiguous(other.api(), id, 4);
    }

    @Test
    @Order(2)
    void aDecisionOnEitherNodeResumesAGatedTaskOnWhicheverNodeClaimsIt() {
        // given: a gated call that waits, asked by whichever node ran the task
        String scenario = "gate-" + UUID.randomUUID().toString().substring(0, 8);
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("checked"));
        long id = a.api().submit(Map.of("input", "Gate [scenario:" + scenario + "]", "approvalRequired", List.of("check_disk")));
        JsonNode waiting = a.api().await(id, t -> "AWAITING_APPROVAL".equals(t.path("state").asText()), "to wait", LONG);
        ServerProcess other = "node-a".equals(waiting.path("node").asText()) ? b : a;
        String call = waiting.path("awaiting").get(0).path("toolCallId").asText();

        // when: the other node's API approves it
        AgentBatchApi.Reply approved = other.api(TestUsers.APPROVER).post("/tasks/" + id + "/approvals/" + call,
                Map.of("decision", "approve"));
        assertEquals(200, approved.status(), String.valueOf(approved.body()));

        // then: either node takes it from the queue and finishes it; a second decision, on the first node, is refused
        JsonNode done = other.api().await(id, t -> "COMPLETED".equals(t.path("state").asText()), "to complete", LONG);
        assertEquals(2, done.path("iterations").asInt(), done.toString());
        assertEquals(409, (other == a ? b : a).api(TestUsers.APPROVER).post("/tasks/" + id + "/approvals/" + call,
                Map.of("decision", "deny", "reason", "late")).status());
    }

    @Test
    @Order(3)
    void aDatabaseRestartLosesNothing() throws Exception {
        // given: five tasks of six iterations, running
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(a.api().submit(Map.of("input", "db " + i + " [scenario:" + scripted("dbrestart", 6, 400) + "]")));
        }
        for (long id : ids) {
            a.api().awaitIterations(id, 1, LONG);
        }

        // when: PostgreSQL restarts under them
        Instant restart = Instant.now();
        restartPostgres();

        // then: every task completes, with no duplicated iteration and none stuck RUNNING
        for (long id : ids) {
            JsonNode task = awaitEitherNode(id);
            assertEquals("COMPLETED", task.path("state").asText(), task.toString());
            CrashRecoveryIT.assertContiguous(b.api(), id, 6);
        }
        System.out.printf("multi-node database restart: every task completed %d ms after the restart began%n",
                Duration.between(restart, Instant.now()).toMillis());
    }

    @Test
    @Order(4)
    void aFrozenNodesTasksMoveAndItCommitsNothingWhenItWakes() throws Exception {
        // given: tasks running on node A, their effects in flight at the target
        Map<Long, String> onA = runningOn(a, b, "freeze");

        // when: A freezes; B takes every task over; then A wakes
        Map<Long, Integer> epochs = epochs(onA.keySet());
        List<Long> staleExecutions = onA.keySet().stream()
                .map(id -> db.count("select JOB_EXECUTION_ID from AGENT_TASK where ID = ?", id)).toList();
        Map<Long, Integer> committedAtTakeover = new HashMap<>();
        Instant frozen = Instant.now();
        a.signal("STOP");
        try {
            awaitTakenOver(onA.keySet(), epochs, "node-b");
            Duration takeover = Duration.between(frozen, Instant.now());
            for (long id : onA.keySet()) {
                committedAtTakeover.put(id, (int) db.count("select ITERATIONS from AGENT_TASK where ID = ?", id));
            }
            System.out.printf("multi-node freeze: %d task(s) taken over %d ms after SIGSTOP (lease 3000 ms)%n",
                    onA.size(), takeover.toMillis());
        } finally {
            a.signal("CONT");
        }
        for (long id : onA.keySet()) {
            assertCompleted(b, id);
        }

        // then: A committed nothing for them after the takeover, and its stale executions ended by themselves
        for (long id : onA.keySet()) {
            long staleRows = db.count("select count(*) from AGENT_MESSAGE m where m.TASK_ID = ? and m.EPOCH <= ?"
                    + " and m.ITERATION > ?", id, epochs.get(id), committedAtTakeover.get(id));
            assertEquals(0, staleRows, "task " + id + ": a row of the frozen node's epoch after the takeover");
            CrashRecoveryIT.assertContiguous(b.api(), id, 2);
        }
        // …its executions were fenced: they ended FENCED, written by A itself, and A runs none of them any more
        for (long exec : staleExecutions) {
            awaitExitStatus(exec, "FENCED");
        }
        assertEquals(0, awaitHealth(a).path("liveExecutions").asInt(), "node A still runs stale executions");
        assertEffectsOnce(onA);
        // …and A is back, alive, and takes new work
        JsonNode nodeA = awaitNode("node-a", true);
        assertTrue(nodeA.path("alive").asBoolean(), nodeA.toString());
        Map<Long, String> again = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            again.put(a.api().submit(Map.of("input", "after [scenario:" + scripted("after-freeze", 2, 200) + "]")), "");
        }
        Set<String> nodes = new HashSet<>();
        for (long id : again.keySet()) {
            nodes.add(a.api().awaitTermination(id, LONG).path("node").asText());
        }
        assertTrue(nodes.contains("node-a"), "the woken node took new work: " + nodes);
    }

    @Test
    @Order(5)
    void aKilledNodesTasksMoveAndNoEffectOrAnswerIsRepeated() throws Exception {
        // given: ten tasks on node A, each in the middle of its effect
        Map<Long, String> onA = runningOn(a, b, "kill");
        Map<Long, Integer> epochs = epochs(onA.keySet());

        // when
        Instant killed = Instant.now();
        a.kill9();
        awaitTakenOver(onA.keySet(), epochs, "node-b");
        Duration takeover = Duration.between(killed, Instant.now());
        for (long id : onA.keySet()) {
            assertCompleted(b, id);
        }

        // then
        for (long id : onA.keySet()) {
            CrashRecoveryIT.assertContiguous(b.api(), id, 2);
            assertEquals(List.of(1, 2), MODEL.calls(onA.get(id)).stream().map(FakeOpenAiServer.Call::iteration).toList(),
                    "task " + id + ": the journaled answer of iteration 1 was not paid again");
        }
        int[] counts = assertEffectsOnce(onA);
        System.out.printf("multi-node kill -9: %d task(s) taken over %d ms after SIGKILL (lease 3000 ms);"
                + " effects raw=%d distinct=%d%n", onA.size(), takeover.toMillis(), counts[0], counts[1]);
        a.start(); // rejoins
        assertTrue(awaitNode("node-a", true).path("alive").asBoolean());
    }

    @Test
    @Order(6)
    void aNodeThatLeavesHandsItsTasksOverAtOnce() throws Exception {
        // given: tasks of four slow iterations running on node A
        Map<Long, String> onA = new TreeMap<>();
        Set<Long> all = new HashSet<>();
        b.signal("STOP"); // A claims them all
        try {
            for (int i = 0; i < 6; i++) {
                String scenario = scripted("leave", 4, 700);
                long id = a.api().submit(Map.of("input", "leave " + i + " [scenario:" + scenario + "]"));
                onA.put(id, scenario);
                all.add(id);
            }
            for (long id : all) {
                a.api().await(id, t -> "node-a".equals(t.path("node").asText()) && t.path("iterations").asInt() >= 1,
                        "to run on node-a", LONG);
            }
        } finally {
            b.signal("CONT");
        }

        // when: A is stopped with SIGTERM (a suspend: running tasks stop at their next iteration boundary)
        Duration leaving = a.terminate(LONG);
        Instant gone = Instant.now();
        for (long id : all) {
            b.api().await(id, t -> "node-b".equals(t.path("node").asText()), "to move to node-b", LONG);
        }
        Duration handOff = Duration.between(gone, Instant.now());
        for (long id : all) {
            assertCompleted(b, id);
        }

        // then: nothing repeated, and the hand-off did not wait for the lease
        for (long id : all) {
            CrashRecoveryIT.assertContiguous(b.api(), id, 4);
            Map<Integer, Long> perIteration = new TreeMap<>();
            MODEL.calls(onA.get(id)).forEach(c -> perIteration.merge(c.iteration(), 1L, Long::sum));
            perIteration.forEach((it, n) -> assertEquals(1L, n, "task " + id + " iteration " + it + " paid " + n + " times"));
            assertTrue(db.count("select count(*) from JOB_EXECUTION where JOBINSTANCEID = ? and EXITSTATUS = 'HANDED_OFF'",
                    b.api().task(id).path("jobInstanceId").asLong()) >= 1, "task " + id + " was handed off");
        }
        System.out.printf("multi-node graceful leave: node A stopped in %d ms; its %d task(s) all ran on node B %d ms"
                + " after it exited%n", leaving.toMillis(), all.size(), handOff.toMillis());
        a.start();
    }

    // --- helpers ---

    private static String scripted(String name, int iterations, long delayMs) {
        String scenario = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Reply> replies = new ArrayList<>();
        for (int i = 1; i < iterations; i++) {
            replies.add(Reply.tools("check_disk", "{}").delayed(delayMs));
        }
        replies.add(Reply.answer("done").delayed(delayMs));
        MODEL.scriptSimple(scenario, replies.toArray(Reply[]::new));
        return scenario;
    }

    /**
     * Ten tasks that run on {@code node} (the other node is frozen while they are claimed), each in the middle of an
     * {@code http_request} effect whose answer the target holds for a while.
     */
    private static Map<Long, String> runningOn(ServerProcess node, ServerProcess otherNode, String name) {
        Map<Long, String> tasks = new TreeMap<>();
        otherNode.signal("STOP");
        try {
            for (int i = 0; i < CAP; i++) {
                String scenario = name + "-" + UUID.randomUUID().toString().substring(0, 8);
                String path = "/" + name + "/" + scenario;
                TARGET.hold(path, 8000);
                MODEL.scriptSimple(scenario, Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + EffectTarget.baseUrl()
                        + path + "\",\"body\":\"{}\"}"), Reply.answer("applied"));
                tasks.put(node.api().submit(Map.of("input", name + " " + i + " [scenario:" + scenario + "]")), scenario);
            }
            for (String scenario : tasks.values()) {
                try {
                    assertTrue(TARGET.awaitRequest("/" + name + "/" + scenario, 120), "effect of " + scenario + " never sent");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        } finally {
            otherNode.signal("CONT");
        }
        return tasks;
    }

    private static Map<Long, Integer> epochs(Set<Long> ids) {
        Map<Long, Integer> epochs = new HashMap<>();
        for (long id : ids) {
            epochs.put(id, (int) db.count("select EPOCH from AGENT_TASK where ID = ?", id));
        }
        return epochs;
    }

    /** Waits until the database says each task moved to {@code node} under a newer epoch. */
    private static void awaitTakenOver(Set<Long> ids, Map<Long, Integer> epochs, String node) {
        Instant end = Instant.now().plus(LONG);
        for (long id : ids) {
            while (db.query("select 1 from AGENT_TASK where ID = ? and NODE_ID = ? and EPOCH > ?", id, node, epochs.get(id)).isEmpty()) {
                assertTrue(Instant.now().isBefore(end), "task " + id + " was not taken over by " + node);
                AgentBatchApi.pause(50);
            }
        }
    }

    private static void awaitExitStatus(long execution, String exitStatus) {
        Instant end = Instant.now().plus(LONG);
        while (db.query("select 1 from JOB_EXECUTION where JOBEXECUTIONID = ? and EXITSTATUS = ?", execution, exitStatus).isEmpty()) {
            assertTrue(Instant.now().isBefore(end), "execution " + execution + " never ended " + exitStatus + ": "
                    + db.query("select BATCHSTATUS, EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?", execution));
            AgentBatchApi.pause(100);
        }
    }

    private static JsonNode awaitHealth(ServerProcess node) {
        Instant end = Instant.now().plus(LONG);
        while (true) {
            JsonNode health = node.api().get("/health").body();
            if (health.path("liveExecutions").asInt() == 0 || Instant.now().isAfter(end)) {
                return health;
            }
            AgentBatchApi.pause(100);
        }
    }

    /** One distinct idempotency key per effect asked for; returns {raw, distinct}. */
    private static int[] assertEffectsOnce(Map<Long, String> tasks) {
        int raw = 0;
        int distinct = 0;
        for (Map.Entry<Long, String> t : tasks.entrySet()) {
            String prefix = "/" + t.getValue().substring(0, t.getValue().indexOf('-')) + "/" + t.getValue();
            assertEquals(1, TARGET.distinctKeys(prefix), "task " + t.getKey() + ": one effect, one key");
            raw += TARGET.rawCount(prefix);
            distinct += TARGET.distinctKeys(prefix);
        }
        return new int[] {raw, distinct};
    }

    private static JsonNode awaitNode(String name, boolean alive) {
        Instant end = Instant.now().plus(LONG);
        while (true) {
            for (JsonNode n : b.api().get("/nodes").body().path("nodes")) {
                if (name.equals(n.path("name").asText()) && n.path("alive").asBoolean() == alive) {
                    return n;
                }
            }
            assertTrue(Instant.now().isBefore(end), "node " + name + " never became alive=" + alive);
            AgentBatchApi.pause(100);
        }
    }

    private static JsonNode awaitEitherNode(long id) {
        Instant end = Instant.now().plus(LONG);
        while (true) {
            try {
                return b.api().awaitTermination(id, Duration.between(Instant.now(), end));
            } catch (IllegalStateException unreachable) {
                assertTrue(Instant.now().isBefore(end), "task " + id + " did not end");
                AgentBatchApi.pause(200); // the node's database connection pool is reconnecting
            }
        }
    }

    private static void assertIncreasingIds(List<SseClient.Event> events) {
        long previous = -1;
        for (SseClient.Event e : events) {
            long id = Long.parseLong(e.id());
            assertTrue(id >= previous, "ids in order: " + events);
            previous = id;
        }
    }

    private static void restartPostgres() throws Exception {
        String version;
        try (var versions = Files.list(Path.of("/etc/postgresql"))) {
            version = versions.map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart")
                .inheritIO().start();
        assertEquals(0, p.waitFor(), "pg_ctlcluster restart");
    }
}
