package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The loop's basic shapes on the real server: a final answer at once completes in one iteration; a tool the
 * task does not allow is answered with a tool error the model reads, and the loop goes on without running it.
 */
class AgentLoopIT extends IntegrationTestBase {

    @Test
    void immediateAnswerCompletesInOneIteration() {
        // given
        String scenario = scenario("at-once");
        MODEL.scriptSimple(scenario, Reply.answer("Nothing to do."));

        // when
        long id = API.submit(Map.of("input", "Say hello [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(1, task.path("iterations").asInt());
        assertEquals("Nothing to do.", task.path("result").asText());
        assertEquals(1, MODEL.calls(scenario).size());
        JsonNode messages = API.get("/tasks/" + id + "/transcript").body().path("messages");
        assertEquals(List.of("0:system", "0:user", "1:assistant"), SeedScenarioIT.roles(messages));
    }

    @Test
    void disallowedToolIsAnsweredWithAToolErrorAndTheLoopGoesOn() throws IOException {
        // given: the task may only check the disk, the model insists on cleaning
        String scenario = scenario("disallowed");
        Path logs = Files.createDirectories(Path.of(System.getProperty("it.workspace"), scenario));
        Path old = SeedScenarioIT.writeLog(logs.resolve("old.log"), 30);
        MODEL.scriptSimple(scenario,
                Reply.tools("clean_logs", "{\"olderThanDays\":1}"),
                Reply.answer("I was not allowed to clean."));

        // when
        long id = API.submit(Map.of("input", "Clean up [scenario:" + scenario + "]", "tools", List.of("check_disk")));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the tool error went back to the model, nothing was deleted, the task went on to its answer
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("iterations").asInt());
        assertTrue(Files.exists(old), "a disallowed tool must not run");
        JsonNode toolMessage = API.get("/tasks/" + id + "/transcript").body().path("messages").get(3);
        assertEquals("tool", toolMessage.path("role").asText());
        assertTrue(toolMessage.path("content").asText().contains("not allowed"), toolMessage.toString());
        JsonNode secondRequest = MODEL.calls(scenario).get(1).body();
        assertEquals(1, secondRequest.path("tools").size(), "only the allowed tool is offered");
        assertTrue(secondRequest.path("messages").get(3).path("content").asText().contains("not allowed"));
    }
}
