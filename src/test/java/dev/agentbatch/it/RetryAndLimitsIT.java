package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Call;
import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The failure policy of agent-task.xml on the real server: transient model errors are retried with growing
 * (exponential) gaps, then given up with RETRIES_EXHAUSTED; a hanging model meets the run's deadline; the
 * iteration limit and the token budget end the task with their own exit status, and a restart with a bigger
 * budget resumes it. The server runs with jitter 0 (agent-batch.retry.backoff.jitter) so gaps are exact.
 */
class RetryAndLimitsIT extends IntegrationTestBase {

    @Test
    void twoRateLimitsThenSuccessCompletesWithGrowingGaps() {
        // given
        String scenario = scenario("429");
        MODEL.script(scenario, List.of(Reply.status(429), Reply.status(429), Reply.answer("finally")));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        List<Long> gaps = gaps(MODEL.calls(scenario));
        assertEquals(2, gaps.size(), gaps.toString());
        assertTrue(gaps.get(0) >= 900, "first retry after ~1 s: " + gaps);
        assertTrue(gaps.get(1) >= 1900 && gaps.get(1) > gaps.get(0), "second after ~2 s: " + gaps);
        assertEquals(1, task.path("iterations").asInt());
    }

    @Test
    void serverErrorsForeverExhaustTheRetries() {
        // given
        String scenario = scenario("500");
        MODEL.script(scenario, List.of(Reply.status(500)));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: 1 attempt + retry-limit (3) retries, gaps 1 s, 2 s, 4 s
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("RETRIES_EXHAUSTED", task.path("exitStatus").asText());
        assertTrue(task.path("error").asText().contains("500"), task.toString());
        List<Long> gaps = gaps(MODEL.calls(scenario));
        assertEquals(3, gaps.size(), gaps.toString());
        assertTrue(gaps.get(0) >= 900 && gaps.get(1) >= 1900 && gaps.get(2) >= 3900, gaps.toString());
        List<Map<String, Object>> exec = JobRepository.query(
                "select EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?", task.path("executionId").asLong());
        assertEquals("RETRIES_EXHAUSTED", exec.get(0).get("EXITSTATUS"));
    }

    @Test
    void aHangingModelMeetsTheRunDeadline() {
        // given
        String scenario = scenario("hang");
        MODEL.script(scenario, List.of(Reply.answer("too late").delayed(60_000)));

        // when
        Instant start = Instant.now();
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]", "deadline", "PT5S"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(30));

        // then
        long took = Duration.between(start, Instant.now()).toMillis();
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("DEADLINE_EXCEEDED", task.path("exitStatus").asText());
        assertTrue(took < 12_000, "failed " + took + " ms after submission");
    }

    @Test
    void aModelThatNeverStopsMeetsTheIterationLimit() {
        String scenario = scenario("endless");
        MODEL.script(scenario, List.of(Reply.tools("check_disk", "{}")));

        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]", "maxIterations", 3));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("ITERATION_LIMIT", task.path("exitStatus").asText());
        assertEquals(3, task.path("iterations").asInt());
        assertEquals(3, MODEL.calls(scenario).size());
    }

    @Test
    void aSpentBudgetFailsAndARestartWithMoreBudgetCompletes() {
        // given: 30 tokens per turn, a budget of 50
        String scenario = scenario("budget");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.tools("check_disk", "{}"),
                Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]", "budgetTokens", 50));
        JsonNode failed = API.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("BUDGET_EXCEEDED", failed.path("exitStatus").asText(), failed.toString());
        assertEquals(2, failed.path("iterations").asInt());
        assertEquals(60, failed.path("usage").path("totalTokens").asLong());

        // when
        assertEquals(200, API.post("/tasks/" + id + "/restart", Map.of("budgetTokens", 1000)).status());
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: usage survived the restart
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(4, task.path("iterations").asInt());
        assertEquals(120, task.path("usage").path("totalTokens").asLong());
        assertEquals(List.of(1, 2, 3, 4), MODEL.calls(scenario).stream().map(Call::iteration).toList());
    }

    @Test
    void permanentModelErrorsFailAtOnce() {
        for (Reply bad : List.of(Reply.status(401), Reply.status(400), Reply.raw(200, "this is not json"),
                Reply.raw(200, "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}"))) {
            String scenario = scenario("permanent");
            MODEL.script(scenario, List.of(bad));
            long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
            JsonNode task = API.awaitTermination(id, Duration.ofSeconds(30));
            assertEquals("FAILED", task.path("state").asText(), bad + " → " + task);
            assertEquals("MODEL_ERROR", task.path("exitStatus").asText(), bad + " → " + task);
            assertEquals(1, MODEL.calls(scenario).size(), "not retried: " + bad);
        }
    }

    @Test
    void badToolCallsBecomeToolErrorsTheModelReads() {
        // given: an unknown tool, then arguments that are not JSON, then an answer
        String scenario = scenario("bad-tools");
        MODEL.scriptSimple(scenario, Reply.tools("format_disk", "{}"), Reply.tools("clean_logs", "{not json"),
                Reply.answer("I give up."));

        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("toolFailures").asInt());
        JsonNode messages = API.get("/tasks/" + id + "/transcript").body().path("messages");
        assertTrue(messages.get(3).path("content").asText().contains("unknown tool 'format_disk'"), messages.get(3).toString());
        assertTrue(messages.get(5).path("content").asText().contains("not valid JSON"), messages.get(5).toString());
    }

    @Test
    void toolFailuresPastTheSkipLimitFailTheTask() {
        String scenario = scenario("skip");
        MODEL.script(scenario, List.of(Reply.tools("format_disk", "{}")));
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]", "maxIterations", 30));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("TOOL_FAILURES", task.path("exitStatus").asText());
        assertEquals(11, task.path("iterations").asInt(), "the default skip limit is 10");
    }

    private static List<Long> gaps(List<Call> calls) {
        return java.util.stream.IntStream.range(1, calls.size())
                .mapToObj(i -> calls.get(i).atMillis() - calls.get(i - 1).atMillis()).toList();
    }
}
