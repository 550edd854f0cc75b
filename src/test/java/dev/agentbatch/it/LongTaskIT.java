package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * Long tasks stay inside the model's context: 60 iterations whose tool results are 8 KB each (about 500 KB of
 * conversation) run against a fake model that refuses any request over a stated size with OpenAI's
 * {@code context_length_exceeded}. The request sent is trimmed (the oldest tool results shortened), the transcript in
 * the database stays whole, and a refusal makes the loop trim to half and try once more before it fails clearly.
 */
class LongTaskIT extends IntegrationTestBase {

    private static final int ITERATIONS = 60;
    private static final int RESULT_BYTES = 8192;

    @Test
    void sixtyIterationsOfLargeResultsFitTheContextAndTheTranscriptStaysWhole() {
        // given: a model that refuses requests over 120 KB, and a task that says its context is 20,000 tokens
        String scenario = longScenario("long-fit");
        MODEL.refuseRequestsOver(scenario, 120_000);

        // when
        long id = API.submit(Map.of("input", "Read every log [scenario:" + scenario + "]", "maxIterations", ITERATIONS,
                "contextTokens", 20_000));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(180));

        // then: it completed without a single refusal, every request within the limit
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(ITERATIONS, task.path("iterations").asInt());
        assertEquals(20_000, task.path("contextTokens").asLong());
        assertEquals(0, MODEL.refusedAsTooLong(scenario), "the trimmed requests fit");
        assertTrue(MODEL.calls(scenario).stream().allMatch(c -> c.body().toString().length() < 120_000));
        // the transcript is whole, and the iterations whose request was trimmed say what was left out
        JsonNode messages = API.get("/tasks/" + id + "/transcript").body().path("messages");
        List<JsonNode> results = role(messages, "tool");
        assertEquals(ITERATIONS - 1, results.size());
        assertTrue(results.stream().allMatch(m -> m.path("content").asText().length() > RESULT_BYTES), "no result shortened in the database");
        List<JsonNode> trimmed = role(messages, "assistant").stream().filter(m -> m.hasNonNull("contextTrimmed")).toList();
        assertTrue(trimmed.size() >= ITERATIONS / 2, "the later iterations were trimmed: " + trimmed.size());
        assertTrue(trimmed.get(0).path("contextTrimmed").asText().contains("old tool result(s) shortened"), trimmed.get(0).toString());
        // the oldest results were shortened in the last request, the latest four iterations went whole
        JsonNode last = MODEL.calls(scenario).get(ITERATIONS - 1).body().path("messages");
        List<String> sent = StreamSupport.stream(last.spliterator(), false).filter(m -> "tool".equals(m.path("role").asText()))
                .map(m -> m.path("content").asText()).toList();
        assertTrue(sent.get(0).contains("characters left out of the model's context"), sent.get(0));
        assertTrue(sent.subList(sent.size() - 3, sent.size()).stream().allMatch(c -> c.length() > RESULT_BYTES));
    }

    @Test
    void aRefusalTrimsToHalfAndTriesOnceMoreThenFailsClearly() {
        // given: a context the task overstates (40,000 tokens; the model takes 100 KB): refused once, then half fits
        String fits = longScenario("long-retry");
        MODEL.refuseRequestsOver(fits, 100_000);
        // and one whose half still does not fit (the default 128,000 tokens against 100 KB)
        String fails = longScenario("long-fail");
        MODEL.refuseRequestsOver(fails, 100_000);

        // when
        long retried = API.submit(Map.of("input", "Read [scenario:" + fits + "]", "maxIterations", ITERATIONS,
                "contextTokens", 40_000));
        long failed = API.submit(Map.of("input", "Read [scenario:" + fails + "]", "maxIterations", ITERATIONS));

        // then
        JsonNode ok = API.awaitTermination(retried, Duration.ofSeconds(180));
        assertEquals("COMPLETED", ok.path("state").asText(), ok.toString());
        assertEquals(1, MODEL.refusedAsTooLong(fits), "refused once; the loop then keeps to the half it took");
        JsonNode bad = API.awaitTermination(failed, Duration.ofSeconds(180));
        assertEquals("FAILED", bad.path("state").asText(), bad.toString());
        assertEquals("CONTEXT_LENGTH_EXCEEDED", bad.path("exitStatus").asText());
        assertNotNull(bad.path("error").asText(null));
        assertTrue(bad.path("error").asText().contains("contextTokens"), "the error says what to change: " + bad);
        assertEquals(2, MODEL.refusedAsTooLong(fails), "one refusal, one retry trimmed to half, no more");
    }

    /** 59 GETs of 8 KB results, then an answer. */
    private static String longScenario(String name) {
        String scenario = scenario(name);
        String path = "/logs/" + scenario;
        EffectTarget.shared().answerSize(path, RESULT_BYTES);
        List<Reply> replies = new ArrayList<>();
        for (int i = 1; i < ITERATIONS; i++) {
            replies.add(Reply.tools("http_request", "{\"method\":\"GET\",\"url\":\"" + EffectTarget.baseUrl() + path + "\"}"));
        }
        replies.add(Reply.answer("Read them all."));
        MODEL.scriptSimple(scenario, replies.toArray(Reply[]::new));
        return scenario;
    }

    private static List<JsonNode> role(JsonNode messages, String role) {
        return StreamSupport.stream(messages.spliterator(), false).filter(m -> role.equals(m.path("role").asText())).toList();
    }
}
