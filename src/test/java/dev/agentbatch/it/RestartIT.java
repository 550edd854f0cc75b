package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * Restart from anywhere keeps AGENT_TASK true. Shape: fail at a chosen iteration (ITERATION_LIMIT), assert what
 * was committed, restart (our API, or jboss-cli's restart-job as an admin would), assert completion with
 * contiguous iterations and no model answer paid twice. Restarting a COMPLETED task is refused. A stale execution (an
 * admin force-restarted it while it ran) is fenced: it cannot start an effect or commit, and its journaled answer is
 * the one the new execution uses.
 */
class RestartIT extends IntegrationTestBase {

    private static final EffectTarget EFFECTS = EffectTarget.shared();

    @Test
    void restartThroughTheApiWithANewLimitResumesFromTheCheckpoint() {
        // given: a task that fails at its iteration limit after 2 committed iterations
        String scenario = scenario("restart-api");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.tools("check_disk", "{}"),
                Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = API.submit(Map.of("input", "Loop [scenario:" + scenario + "]", "maxIterations", 2));
        JsonNode failed = API.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("FAILED", failed.path("state").asText(), failed.toString());
        assertEquals("ITERATION_LIMIT", failed.path("exitStatus").asText());
        assertEquals(2, failed.path("iterations").asInt());

        // when
        AgentBatchApi.Reply restarted = API.post("/tasks/" + id + "/restart", Map.of("maxIterations", 10));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the restart was queued (202, RESTART_PENDING, no execution yet), then ran to the end
        assertEquals(202, restarted.status(), String.valueOf(restarted.body()));
        assertEquals("RESTART_PENDING", restarted.body().path("state").asText(), restarted.body().toString());
        assertTrue(restarted.body().path("executionId").isNull(), restarted.body().toString());
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(4, task.path("iterations").asInt());
        assertEquals(10, task.path("maxIterations").asInt(), "the override is kept on the task");
        assertNotEquals(failed.path("executionId").asLong(), task.path("executionId").asLong());
        assertEquals(List.of(1, 2, 3, 4), MODEL.calls(scenario).stream().map(FakeOpenAiServer.Call::iteration).toList());
        assertEquals(List.of("0:system", "0:user", "1:assistant", "1:tool", "2:assistant", "2:tool",
                "3:assistant", "3:tool", "4:assistant"), SeedScenarioIT.roles(API.get("/tasks/" + id + "/transcript").body().path("messages")));

        // and a COMPLETED task cannot be restarted
        AgentBatchApi.Reply again = API.post("/tasks/" + id + "/restart", Map.of());
        assertEquals(409, again.status());
        assertTrue(again.body().path("detail").asText().contains("COMPLETED"));
    }

    @Test
    void restartThroughJbossCliIsFollowedByTheTask() throws Exception {
        // given
        String scenario = scenario("restart-cli");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = API.submit(Map.of("input", "Loop [scenario:" + scenario + "]", "maxIterations", 1));
        JsonNode failed = API.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("ITERATION_LIMIT", failed.path("exitStatus").asText(), failed.toString());
        long exec = failed.path("executionId").asLong();

        // when: an admin restarts the execution with jboss-cli, raising the limit
        String output = jbossCli("/deployment=agent-batch.war/subsystem=batch-jberet:restart-job(execution-id="
                + exec + ", properties={maxIterations=5})");
        API.awaitExecutionChange(id, exec, Duration.ofSeconds(60)); // the task still shows the old, terminal run until then
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertTrue(output.contains("success"), output);
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("iterations").asInt());
        assertTrue(task.path("executionId").asLong() > exec, "the task follows the new execution: " + task);
        assertEquals(5, task.path("maxIterations").asInt(), "the task shows the limit the restart set");
    }

    @Test
    void aStaleExecutionIsFencedBeforeItsEffectAndItsAnswerIsNotLost() throws Exception {
        // given: iteration 1 asks for an effect; each of the two executions' model calls is held by the test
        CountDownLatch staleAnswer = new CountDownLatch(1);
        CountDownLatch freshAnswer = new CountDownLatch(1);
        String scenario = scenario("fenced");
        String path = "/fenced/" + scenario;
        Reply effect = Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + EffectTarget.baseUrl() + path
                + "\",\"body\":\"{}\"}");
        MODEL.script(scenario, List.of(List.of(effect.heldBy(staleAnswer), effect.heldBy(freshAnswer)),
                List.of(Reply.answer("deployed once"))));
        long id = API.submit(Map.of("input", "Deploy [scenario:" + scenario + "]"));
        MODEL.awaitCalls(scenario, 1, Duration.ofSeconds(60));
        long stale = API.await(id, t -> t.path("executionId").isNumber(), "to be carried", Duration.ofSeconds(60))
                .path("executionId").asLong();

        // when: an admin force-restarts the execution while it still runs; the new one takes the task (epoch + 1)
        jbossCli("/deployment=agent-batch.war/subsystem=batch-jberet:restart-job(execution-id=" + stale
                + ", properties={jberet.restart.mode=force})");
        long fresh = API.awaitExecutionChange(id, stale, Duration.ofSeconds(60)).path("executionId").asLong();
        MODEL.awaitCalls(scenario, 2, Duration.ofSeconds(60));
        // …then the stale execution gets its answer first: it journals it, and is fenced before the effect
        staleAnswer.countDown();
        awaitExitStatus(stale, "FENCED");
        assertEquals(0, EFFECTS.rawCount(path), "a fenced execution never starts an effect");
        freshAnswer.countDown();
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: one effect, one journaled answer per iteration, every iteration committed by the fresh execution
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(1, EFFECTS.rawCount(path));
        assertEquals(1, EFFECTS.distinctKeys(path));
        assertEquals(List.of(1L, 2L), JobRepository.query("select ITERATION from AGENT_MODEL_CALL where TASK_ID = ?"
                + " order by ITERATION", id).stream().map(r -> ((Number) r.get("ITERATION")).longValue()).toList(),
                "one journal row per iteration: the fresh execution used the answer the stale one journaled");
        CrashRecoveryIT.assertContiguous(API, id, 2);
        for (JsonNode m : API.get("/tasks/" + id + "/transcript").body().path("messages")) {
            if (m.path("iteration").asInt() > 0) {
                assertEquals(fresh, m.path("executionId").asLong(), "committed by the execution that owns the task: " + m);
            }
        }
    }

    private static void awaitExitStatus(long execution, String exitStatus) {
        java.time.Instant end = java.time.Instant.now().plusSeconds(60);
        while (!exitStatus.equals(JobRepository.query("select EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?",
                execution).get(0).get("EXITSTATUS"))) {
            assertTrue(java.time.Instant.now().isBefore(end), "execution " + execution + " never ended " + exitStatus);
            AgentBatchApi.pause(50);
        }
    }

    static String jbossCli(String command) throws IOException, InterruptedException {
        return JbossCli.run(command);
    }
}
