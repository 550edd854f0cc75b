package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Call;
import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The failure policy of agent-task.xml on the real server: transient model and tool errors are retried, each
 * iteration with its own retry limit and growing (exponential) pauses, then given up with RETRIES_EXHAUSTED; a tool
 * retry never doubles an effect; an answer that cannot be written is refused before it is journaled; a hanging model
 * meets the run's deadline; the iteration limit and the token budget end the task with their own exit status, and a
 * restart with a bigger budget resumes it. The server runs with jitter 0 (agent-batch.retry.backoff.jitter), and the
 * tests assert the pauses the retry listener planned (AGENT_RETRY, in the transcript), never wall-clock time.
 */
class RetryAndLimitsIT extends IntegrationTestBase {

    private static final EffectTarget EFFECTS = EffectTarget.shared();

    @Test
    void twoRateLimitsThenSuccessCompletesWithGrowingGaps() {
        // given
        String scenario = scenario("429");
        MODEL.script(scenario, List.of(Reply.status(429), Reply.status(429), Reply.answer("finally")));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the planned pauses grow, 1 s then 2 s (jitter 0)
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(3, MODEL.calls(scenario).size());
        assertEquals(Map.of(1, List.of(1000L, 2000L)), plannedDelays(id));
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

        // then: 1 attempt + retryLimit (3) retries, planned pauses 1 s, 2 s, 4 s; the 4th failure plans none
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("RETRIES_EXHAUSTED", task.path("exitStatus").asText());
        assertTrue(task.path("error").asText().contains("500"), task.toString());
        assertEquals(4, MODEL.calls(scenario).size());
        assertEquals(Arrays.asList(1000L, 2000L, 4000L, null), retries(id).stream()
                .map(r -> r.path("delayMs").isNull() ? null : r.path("delayMs").asLong()).toList());
        List<Map<String, Object>> exec = JobRepository.query(
                "select EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?", task.path("executionId").asLong());
        assertEquals("RETRIES_EXHAUSTED", exec.get(0).get("EXITSTATUS"));
    }

    @Test
    void aHangingModelMeetsTheRunDeadline() {
        // given: a model that would answer after ten minutes
        String scenario = scenario("hang");
        MODEL.script(scenario, List.of(Reply.answer("too late").delayed(600_000)));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]", "deadline", "PT5S"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(120));

        // then: the call was cut by the run's deadline (a 120 s iteration deadline would have let it run on)
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("DEADLINE_EXCEEDED", task.path("exitStatus").asText());
        assertEquals(1, MODEL.calls(scenario).size(), "no retry past the deadline");
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
        assertEquals(202, API.post("/tasks/" + id + "/restart", Map.of("budgetTokens", 1000)).status());
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

    @Test
    void everyIterationGetsItsOwnRetries() {
        // given: six iterations, each of whose model calls is answered 429 twice before it succeeds
        String scenario = scenario("429-each");
        List<List<Reply>> iterations = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            Reply turn = i < 6 ? Reply.tools("check_disk", "{}") : Reply.answer("six iterations, twelve 429s");
            iterations.add(List.of(Reply.status(429), Reply.status(429), turn));
        }
        MODEL.script(scenario, iterations);

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(180));

        // then: every iteration had its own three retries, and its pauses started again at the base
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(6, task.path("iterations").asInt());
        assertEquals(18, MODEL.calls(scenario).size());
        Map<Integer, List<Long>> expected = new TreeMap<>();
        for (int i = 1; i <= 6; i++) {
            expected.put(i, List.of(1000L, 2000L));
        }
        assertEquals(expected, plannedDelays(id));
    }

    @Test
    void transientToolFailuresAreRetriedWithTheSameKeyAndNeverDoubleAnEffect() {
        // given: five effects; the target refuses iterations 2 and 4 once with 503 (not applied) and answers
        // iteration 5 once with 504 (a gateway gave up: the effect may have happened)
        String scenario = scenario("tool-503");
        String prefix = "/effects/" + scenario + "/";
        List<Reply> turns = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            turns.add(Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + EffectTarget.baseUrl() + prefix + i
                    + "\",\"body\":\"{}\"}"));
        }
        turns.add(Reply.answer("five effects"));
        MODEL.scriptSimple(scenario, turns.toArray(Reply[]::new));
        EFFECTS.refuse(prefix + 2, 503, 1);
        EFFECTS.refuse(prefix + 4, 503, 1);
        EFFECTS.refuse(prefix + 5, 504, 1);

        // when
        long id = API.submit(Map.of("input", "Apply [scenario:" + scenario + "]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(120));

        // then: one distinct key per effect, and the target saw effects + 3 requests
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(5, EFFECTS.distinctKeys(prefix));
        assertEquals(8, EFFECTS.rawCount(prefix));
        assertEquals(Map.of(2, List.of(1000L), 4, List.of(1000L), 5, List.of(1000L)), plannedDelays(id));
        assertEquals(List.of(false, false, false, false, true), toolMessages(id).stream()
                .map(m -> m.path("inDoubt").asBoolean()).toList(), "only the call answered 504 is in doubt");
        assertEquals(6, MODEL.calls(scenario).size(), "a retry caused by a tool replays the journaled answer");
    }

    @Test
    void anAnswerThatCannotBeWrittenIsRefusedBeforeTheJournalAndARestartAsksAgain() {
        for (Reply bad : List.of(Reply.tools("check_disk", "{}", "check_disk", "{\"path\":\".\"}").withToolCallIds("call_1", "call_1"),
                Reply.tools("check_disk", "{}").withToolCallIds("c".repeat(300)))) {
            // given: the first answer of iteration 1 is unusable, the next one is fine
            String scenario = scenario("invalid");
            MODEL.script(scenario, List.of(List.of(bad, Reply.tools("check_disk", "{}")), List.of(Reply.answer("done"))));
            long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));

            // when
            JsonNode failed = API.awaitTermination(id, Duration.ofSeconds(60));

            // then: a clear exit status, and nothing journaled that a replay would trip on again
            assertEquals("FAILED", failed.path("state").asText(), failed.toString());
            assertEquals("INVALID_MODEL_ANSWER", failed.path("exitStatus").asText(), failed.toString());
            assertEquals(0, failed.path("iterations").asInt());
            assertEquals(202, API.post("/tasks/" + id + "/restart", Map.of()).status());
            JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));
            assertEquals("COMPLETED", task.path("state").asText(), task.toString());
            assertEquals(List.of(1, 1, 2), MODEL.calls(scenario).stream().map(Call::iteration).toList(),
                    "the restart asked the model again instead of replaying the bad answer");
        }
    }

    /** The planned pause of every retry, by iteration, as the transcript reports them. */
    private static Map<Integer, List<Long>> plannedDelays(long id) {
        Map<Integer, List<Long>> delays = new TreeMap<>();
        for (JsonNode r : retries(id)) {
            delays.computeIfAbsent(r.path("iteration").asInt(), k -> new ArrayList<>()).add(r.path("delayMs").asLong());
        }
        return delays;
    }

    private static List<JsonNode> retries(long id) {
        List<JsonNode> retries = new ArrayList<>();
        API.get("/tasks/" + id + "/transcript").body().path("retries").forEach(retries::add);
        return retries;
    }

    private static List<JsonNode> toolMessages(long id) {
        List<JsonNode> tools = new ArrayList<>();
        API.get("/tasks/" + id + "/transcript").body().path("messages").forEach(m -> {
            if ("tool".equals(m.path("role").asText())) {
                tools.add(m);
            }
        });
        return tools;
    }
}
