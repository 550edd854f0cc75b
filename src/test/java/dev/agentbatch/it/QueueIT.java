package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The durable queue on a real server whose concurrency cap is 1 (AGENT_BATCH_MAX_CONCURRENT_TASKS): priority
 * decides who runs next, a PENDING task is cancelled without ever starting, a RUNNING task stops at an
 * iteration boundary and resumes from its checkpoint when restarted.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+400")
class QueueIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();
    private static ServerProcess server;
    private static AgentBatchApi api;

    @BeforeAll
    static void boot() {
        server = ServerProcess.copyOfProvisioned("queue-server", 400, serverProperties(1));
        server.start();
        api = server.api();
    }

    @AfterAll
    static void shutdown() {
        server.close();
    }

    static Map<String, String> serverProperties(int cap) {
        return Map.of(
                "OPENAI_API_KEY", "it-test-key",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", Path.of(System.getProperty("project.basedir", ".")).resolve("target/queue-workspace").toString(),
                "AGENT_BATCH_MAX_CONCURRENT_TASKS", Integer.toString(cap),
                "AGENT_BATCH_DISPATCH_SWEEP_MS", "1000");
    }

    static String scripted(String name, int iterations, long delayMs) {
        String scenario = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Reply> replies = new ArrayList<>();
        for (int i = 1; i < iterations; i++) {
            replies.add(Reply.tools("check_disk", "{}").delayed(delayMs));
        }
        replies.add(Reply.answer("done").delayed(delayMs));
        MODEL.scriptSimple(scenario, replies.toArray(Reply[]::new));
        return scenario;
    }

    @Test
    void theHighPriorityTaskRunsSecondBehindFiveLowOnes() throws Exception {
        // given: five low-priority tasks; the cap lets only the first one run, and it runs until the test lets it go
        CountDownLatch firstHeld = new CountDownLatch(1);
        List<Long> low = new ArrayList<>();
        low.add(api.submit(Map.of("input", "low 0 [scenario:" + heldScenario("low", firstHeld) + "]", "priority", 1)));
        api.awaitState(low.get(0), "RUNNING", Duration.ofSeconds(60));
        for (int i = 1; i < 5; i++) {
            low.add(api.submit(Map.of("input", "low " + i + " [scenario:" + scripted("low", 2, 0) + "]", "priority", 1)));
        }

        // when: an urgent task arrives while the slot is taken, and then the slot frees up
        long high = api.submit(Map.of("input", "urgent [scenario:" + scripted("high", 2, 0) + "]", "priority", 9));
        firstHeld.countDown();
        List<JsonNode> done = new ArrayList<>();
        for (long id : low) {
            done.add(api.awaitTermination(id, Duration.ofSeconds(120)));
        }
        done.add(api.awaitTermination(high, Duration.ofSeconds(120)));

        // then: start order is low0, high, low1…low4
        List<Long> order = done.stream()
                .sorted(Comparator.comparing((JsonNode t) -> Instant.parse(t.path("startedAt").asText())))
                .map(t -> t.path("id").asLong()).toList();
        assertEquals(List.of(low.get(0), high, low.get(1), low.get(2), low.get(3), low.get(4)), order);
        done.forEach(t -> assertEquals("COMPLETED", t.path("state").asText(), t.toString()));
    }

    @Test
    void aPendingTaskIsCancelledWithoutStarting() throws Exception {
        // given: the only slot is taken
        long busy = api.submit(Map.of("input", "busy [scenario:" + scripted("busy", 4, 500) + "]"));
        api.awaitIterations(busy, 1, Duration.ofSeconds(60));
        String waitingScenario = scripted("waiting", 1, 0);
        long waiting = api.submit(Map.of("input", "waiting [scenario:" + waitingScenario + "]"));
        assertEquals("PENDING", api.task(waiting).path("state").asText());

        // when
        AgentBatchApi.Reply stop = api.post("/tasks/" + waiting + "/stop", Map.of());

        // then
        assertEquals(200, stop.status(), String.valueOf(stop.body()));
        JsonNode cancelled = api.awaitTermination(waiting, Duration.ofSeconds(10));
        assertEquals("STOPPED", cancelled.path("state").asText());
        assertEquals("CANCELLED", cancelled.path("exitStatus").asText());
        assertTrue(cancelled.path("executionId").isMissingNode() || cancelled.path("executionId").isNull(), cancelled.toString());
        api.awaitTermination(busy, Duration.ofSeconds(60));
        awaitSweeps(2); // the dispatcher looked at the queue twice since the slot freed: it must still not start
        assertEquals("STOPPED", api.task(waiting).path("state").asText());
        assertEquals(0, MODEL.calls(waitingScenario).size(), "a cancelled task never reaches the model");
    }

    @Test
    void aRestartWaitsItsTurnInTheQueueLikeANewTask() throws Exception {
        // given: a FAILED task, and the only slot held by a task whose model call the test holds
        long failing = failedAtItsIterationLimit();
        CountDownLatch busyHeld = new CountDownLatch(1);
        long busy = api.submit(Map.of("input", "busy [scenario:" + heldScenario("busy", busyHeld) + "]"));
        api.awaitState(busy, "RUNNING", Duration.ofSeconds(60));

        // when
        AgentBatchApi.Reply restart = api.post("/tasks/" + failing + "/restart", Map.of("maxIterations", 5));

        // then: it waits in the queue while the slot is taken (the dispatcher sweeps every second meanwhile)…
        assertEquals(202, restart.status(), String.valueOf(restart.body()));
        assertEquals("RESTART_PENDING", restart.body().path("state").asText());
        awaitSweeps(3);
        assertEquals("RESTART_PENDING", api.task(failing).path("state").asText(), "the cap of 1 is held by the busy task");
        // …and runs once the slot is free
        busyHeld.countDown();
        api.awaitTermination(busy, Duration.ofSeconds(60));
        JsonNode task = api.awaitTermination(failing, Duration.ofSeconds(60));
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertTrue(Instant.parse(task.path("updatedAt").asText()).isAfter(Instant.parse(api.task(busy).path("endedAt").asText())));
    }

    @Test
    void aJbossCliRestartTakesAQueuedRestartOutOfTheQueue() throws Exception {
        // given: a FAILED task queued for restart behind a busy slot
        long failing = failedAtItsIterationLimit();
        long lastExecution = api.task(failing).path("executionId").asLong();
        CountDownLatch busyHeld = new CountDownLatch(1);
        long busy = api.submit(Map.of("input", "busy [scenario:" + heldScenario("busy-cli", busyHeld) + "]"));
        api.awaitState(busy, "RUNNING", Duration.ofSeconds(60));
        assertEquals(202, api.post("/tasks/" + failing + "/restart", Map.of()).status());

        // when: an admin restarts its execution with jboss-cli (which bypasses the queue by nature)
        JbossCli.run(server.home(), server.managementPort(), "/deployment=agent-batch.war/subsystem=batch-jberet:restart-job("
                + "execution-id=" + lastExecution + ", properties={maxIterations=5})");
        JsonNode task = api.awaitTermination(failing, Duration.ofSeconds(60));

        // then: it ran at once, and the queue does not start it a second time once the slot is free
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals("RUNNING", api.task(busy).path("state").asText(), "it did not wait for the slot");
        busyHeld.countDown();
        api.awaitTermination(busy, Duration.ofSeconds(60));
        awaitSweeps(3);
        assertEquals(2, JobRepository.queryAt(server.home().toString(), "select JOBEXECUTIONID from JOB_EXECUTION"
                + " where JOBINSTANCEID = ?", task.path("jobInstanceId").asLong()).size(), "two executions, no third");
        assertEquals("COMPLETED", api.task(failing).path("state").asText());
    }

    /** A task that FAILED with ITERATION_LIMIT after one iteration, and completes when given more. */
    private static long failedAtItsIterationLimit() {
        String scenario = scripted("failing", 2, 0);
        long id = api.submit(Map.of("input", "failing [scenario:" + scenario + "]", "maxIterations", 1));
        JsonNode failed = api.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("ITERATION_LIMIT", failed.path("exitStatus").asText(), failed.toString());
        return id;
    }

    private static String heldScenario(String name, CountDownLatch gate) {
        String scenario = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        MODEL.scriptSimple(scenario, Reply.answer("done").heldBy(gate));
        return scenario;
    }

    /** Lets the dispatcher's safety-net sweep (every second here) run a few times: see MetricsIT#awaitDispatchPasses. */
    private static void awaitSweeps(int passes) throws Exception {
        MetricsIT.awaitDispatchPasses(server.managementPort(), passes);
    }

    @Test
    void aRunningTaskStopsAtAnIterationBoundaryAndResumesOnRestart() {
        // given: ten slow iterations
        String scenario = scripted("stop", 10, 600);
        long id = api.submit(Map.of("input", "long [scenario:" + scenario + "]"));
        api.awaitIterations(id, 2, Duration.ofSeconds(60));

        // when
        assertEquals(200, api.post("/tasks/" + id + "/stop", Map.of()).status());
        JsonNode stopped = api.awaitTermination(id, Duration.ofSeconds(60));

        // then: STOPPED with whole iterations only
        assertEquals("STOPPED", stopped.path("state").asText(), stopped.toString());
        int committed = stopped.path("iterations").asInt();
        assertTrue(committed >= 2 && committed < 10, stopped.toString());
        CrashRecoveryIT.assertContiguous(api, id, committed);
        List<Map<String, Object>> exec = JobRepository.queryAt(server.home().toString(),
                "select BATCHSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?", stopped.path("executionId").asLong());
        assertEquals("STOPPED", exec.get(0).get("BATCHSTATUS"));

        // when restarted
        assertEquals(202, api.post("/tasks/" + id + "/restart", Map.of()).status(), "a restart is queued");
        JsonNode completed = api.awaitTermination(id, Duration.ofSeconds(60));

        // then it resumes from the checkpoint and never repeats an iteration
        assertEquals("COMPLETED", completed.path("state").asText(), completed.toString());
        CrashRecoveryIT.assertContiguous(api, id, 10);
    }
}
