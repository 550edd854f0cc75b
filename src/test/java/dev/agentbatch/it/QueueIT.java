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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The durable queue on a real server whose concurrency cap is 1 (AGENT_BATCH_MAX_CONCURRENT_TASKS): priority
 * decides who runs next, a PENDING task is cancelled without ever starting, a RUNNING task stops at an
 * iteration boundary and resumes from its checkpoint when restarted.
 */
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
    void theHighPriorityTaskRunsSecondBehindFiveLowOnes() {
        // given: five low-priority tasks; the cap lets only the first one run
        List<Long> low = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            low.add(api.submit(Map.of("input", "low " + i + " [scenario:" + scripted("low", 2, 300) + "]", "priority", 1)));
        }

        // when: an urgent task arrives
        long high = api.submit(Map.of("input", "urgent [scenario:" + scripted("high", 2, 300) + "]", "priority", 9));
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
    void aPendingTaskIsCancelledWithoutStarting() {
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
        AgentBatchApi.pause(1500); // a sweep or two: it must still not start
        assertEquals("STOPPED", api.task(waiting).path("state").asText());
        assertEquals(0, MODEL.calls(waitingScenario).size(), "a cancelled task never reaches the model");
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
        assertEquals(200, api.post("/tasks/" + id + "/restart", Map.of()).status());
        JsonNode completed = api.awaitTermination(id, Duration.ofSeconds(60));

        // then it resumes from the checkpoint and never repeats an iteration
        assertEquals("COMPLETED", completed.path("state").asText(), completed.toString());
        CrashRecoveryIT.assertContiguous(api, id, 10);
    }
}
