package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * Restart from anywhere keeps AGENT_TASK true. Shape: fail at a chosen iteration (ITERATION_LIMIT), assert what
 * was committed, restart (our API, or jboss-cli's restart-job as an admin would), assert completion with
 * contiguous iterations and no model answer paid twice. Restarting a COMPLETED task is refused.
 */
class RestartIT extends IntegrationTestBase {

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

        // then
        assertEquals(200, restarted.status(), String.valueOf(restarted.body()));
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
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertTrue(output.contains("success"), output);
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("iterations").asInt());
        assertTrue(task.path("executionId").asLong() > exec, "the task follows the new execution: " + task);
        assertEquals(5, task.path("maxIterations").asInt(), "the task shows the limit the restart set");
    }

    static String jbossCli(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(System.getProperty("it.server.dir") + "/bin/jboss-cli.sh", "--connect",
                "--controller=127.0.0.1:" + System.getProperty("it.management.port"), "--command=" + command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
