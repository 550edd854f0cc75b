package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.agentbatch.it.AgentBatchApi.Reply;

/** The REST contract at its edges: health, problem bodies for bad input and unknown tasks, listing. */
class RestApiIT extends IntegrationTestBase {

    @Test
    void healthIsUpWithTheConfiguredModel() {
        Reply health = API.get("/health");
        assertEquals(200, health.status());
        assertEquals("UP", health.body().path("status").asText());
        assertEquals("fake-model", health.body().path("modelName").asText());
    }

    @Test
    void badInputIsRefusedWithAProblemBody() {
        Reply empty = API.post("/tasks", Map.of("input", "  "));
        assertEquals(400, empty.status());
        assertEquals("application/problem+json", empty.raw().headers().firstValue("Content-Type").orElse(""));
        assertTrue(empty.body().path("detail").asText().contains("input"), empty.body().toString());

        Reply notJson = API.post("/tasks", "{not json");
        assertEquals(400, notJson.status(), String.valueOf(notJson.body()));

        Reply unknownTool = API.post("/tasks", Map.of("input", "x", "tools", java.util.List.of("rm_rf")));
        assertEquals(400, unknownTool.status());
        assertTrue(unknownTool.body().path("detail").asText().contains("rm_rf"));

        Reply badPriority = API.post("/tasks", Map.of("input", "x", "priority", 12));
        assertEquals(400, badPriority.status());
        assertTrue(badPriority.body().path("detail").asText().contains("priority"));

        Reply missingInput = API.post("/tasks", Map.of("priority", 1));
        assertEquals(400, missingInput.status());

        Reply huge = API.post("/tasks", Map.of("input", "x".repeat(256 * 1024 + 1)));
        assertEquals(400, huge.status());
        assertTrue(huge.body().path("detail").asText().contains("256 KiB"));

        Reply badDeadline = API.post("/tasks", Map.of("input", "x", "deadline", "five minutes"));
        assertEquals(400, badDeadline.status());
        assertTrue(badDeadline.body().path("detail").asText().contains("ISO-8601"));

        Reply zeroIterations = API.post("/tasks", Map.of("input", "x", "maxIterations", 0));
        assertEquals(400, zeroIterations.status());

        Reply badState = API.get("/tasks?state=DONE");
        assertEquals(400, badState.status());

        assertEquals(0, JobRepository.query("select count(*) N from AGENT_TASK where INPUT = 'x'").get(0).get("N")
                instanceof Number n ? n.intValue() : -1, "nothing rejected was stored");
    }

    @Test
    void unknownTaskIsA404Problem() {
        Reply missing = API.get("/tasks/987654321");
        assertEquals(404, missing.status());
        assertEquals(404, missing.body().path("status").asInt());
        assertEquals("urn:agent-batch:problem:task-not-found", missing.body().path("type").asText());
    }
}
