package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The seed task end to end on the real server: "I'm out of disk space. Fix it." → check_disk → clean_logs →
 * final answer. Asserts the task COMPLETED, the old logs are really deleted and the fresh one kept, the
 * transcript is persisted iteration by iteration, the model was paid once per iteration, and the job
 * repository holds one COMPLETED JOB_EXECUTION whose STEP_EXECUTION committed once per iteration plus the
 * closing chunk in which the reader returned null.
 */
class SeedScenarioIT extends IntegrationTestBase {

    @Test
    void seedTaskChecksDiskCleansOldLogsAndAnswers() throws IOException {
        // given: a workspace folder with two old logs and a fresh one, and a model scripted like the seed
        String scenario = scenario("seed");
        Path logs = Files.createDirectories(Path.of(System.getProperty("it.workspace"), scenario, "var", "log"));
        Path old1 = writeLog(logs.resolve("app-1.log"), 30);
        Path old2 = writeLog(logs.resolve("app-2.log"), 10);
        Path fresh = writeLog(logs.resolve("current.log"), 0);
        MODEL.scriptSimple(scenario,
                Reply.tools("check_disk", "{}"),
                Reply.tools("clean_logs", "{\"olderThanDays\":7}"),
                Reply.answer("Freed the space taken by old logs."));

        // when
        long id = API.submit(Map.of("input", "I'm out of disk space. Fix it. [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the task
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(3, task.path("iterations").asInt());
        assertEquals("Freed the space taken by old logs.", task.path("result").asText());
        assertEquals(3 * 30, task.path("usage").path("totalTokens").asLong());
        // the side effects
        assertFalse(Files.exists(old1));
        assertFalse(Files.exists(old2));
        assertTrue(Files.exists(fresh));
        // the transcript: iteration 0 = system + user; 1 and 2 = assistant + tool; 3 = the answer
        JsonNode messages = API.get("/tasks/" + id + "/transcript").body().path("messages");
        assertEquals(List.of("0:system", "0:user", "1:assistant", "1:tool", "2:assistant", "2:tool", "3:assistant"),
                roles(messages));
        assertEquals("check_disk", messages.get(2).path("toolCalls").get(0).path("name").asText());
        assertTrue(messages.get(3).path("content").asText().contains("usedBytes"), messages.get(3).toString());
        String cleaned = messages.get(5).path("content").asText();
        assertTrue(cleaned.contains(scenario + "/var/log/app-1.log") && cleaned.contains(scenario + "/var/log/app-2.log")
                && !cleaned.contains("current.log"), cleaned);
        // the model was called once per iteration, with the whole conversation each time
        List<FakeOpenAiServer.Call> calls = MODEL.calls(scenario);
        assertEquals(List.of(1, 2, 3), calls.stream().map(FakeOpenAiServer.Call::iteration).toList());
        assertEquals(3, calls.get(1).body().path("tools").size(), "all three tools are offered");
        // the job repository, read with SQL like an operator does
        long exec = task.path("executionId").asLong();
        List<Map<String, Object>> jobs = JobRepository.query(
                "select BATCHSTATUS, EXITSTATUS from JOB_EXECUTION where JOBINSTANCEID ="
                        + " (select JOBINSTANCEID from JOB_EXECUTION where JOBEXECUTIONID = ?)", exec);
        assertEquals(1, jobs.size());
        assertEquals("COMPLETED", jobs.get(0).get("BATCHSTATUS"));
        List<Map<String, Object>> steps = JobRepository.query(
                "select STEPNAME, BATCHSTATUS, READCOUNT, WRITECOUNT, COMMITCOUNT, ROLLBACKCOUNT from STEP_EXECUTION"
                        + " where JOBEXECUTIONID = ?", exec);
        assertEquals(1, steps.size());
        Map<String, Object> step = steps.get(0);
        assertEquals("agent-loop", step.get("STEPNAME"));
        assertEquals(3L, ((Number) step.get("READCOUNT")).longValue());
        assertEquals(3L, ((Number) step.get("WRITECOUNT")).longValue());
        assertEquals(4L, ((Number) step.get("COMMITCOUNT")).longValue(), "one commit per iteration + the closing one");
        assertEquals(0L, ((Number) step.get("ROLLBACKCOUNT")).longValue());
        // and the same rows through the REST API
        JsonNode executions = API.get("/tasks/" + id + "/executions").body().path("executions");
        assertEquals(1, executions.size());
        assertEquals(4, executions.get(0).path("steps").get(0).path("commitCount").asInt());
    }

    static List<String> roles(JsonNode messages) {
        return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .map(m -> m.path("iteration").asInt() + ":" + m.path("role").asText()).toList();
    }

    static Path writeLog(Path file, int daysOld) throws IOException {
        Files.writeString(file, "log line\n".repeat(1000));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(daysOld))));
        return file;
    }
}
