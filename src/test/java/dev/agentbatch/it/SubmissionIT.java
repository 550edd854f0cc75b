package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.agentbatch.it.AgentBatchApi.Reply;

/**
 * Idempotent submission: an {@code Idempotency-Key} with the same body gives back the same task (200, no second
 * task, no second job); with another body it is a 409 problem; 32 concurrent identical submissions make one task.
 */
class SubmissionIT extends IntegrationTestBase {

    @Test
    void sameKeySameBodyGivesTheSameTask() {
        String scenario = scenario("idem");
        MODEL.scriptSimple(scenario, FakeOpenAiServer.Reply.answer("ok"));
        Map<String, Object> body = Map.of("input", "once [scenario:" + scenario + "]", "priority", 5);
        String key = "key-" + UUID.randomUUID();

        Reply first = API.post("/tasks", body, Map.of("Idempotency-Key", key));
        Reply second = API.post("/tasks", body, Map.of("Idempotency-Key", key));
        Reply other = API.post("/tasks", Map.of("input", "something else"), Map.of("Idempotency-Key", key));

        assertEquals(201, first.status());
        assertTrue(first.raw().headers().firstValue("Location").orElse("").endsWith("/tasks/" + first.body().path("id").asLong()));
        assertEquals(200, second.status());
        assertEquals(first.body().path("id").asLong(), second.body().path("id").asLong());
        assertEquals(409, other.status());
        assertEquals("urn:agent-batch:problem:idempotency-key-reused", other.body().path("type").asText());
        API.awaitTermination(first.body().path("id").asLong(), java.time.Duration.ofSeconds(60));
        assertEquals(1, MODEL.calls(scenario).size(), "one task, one job, one model call");
    }

    @Test
    void thirtyTwoConcurrentIdenticalSubmissionsCreateOneTask() throws Exception {
        String scenario = scenario("idem32");
        MODEL.scriptSimple(scenario, FakeOpenAiServer.Reply.answer("ok"));
        Map<String, Object> body = Map.of("input", "burst [scenario:" + scenario + "]");
        String key = "burst-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<Reply>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(() -> API.post("/tasks", body, Map.of("Idempotency-Key", key)));
            }
            Set<Long> ids = new HashSet<>();
            int created = 0;
            for (Future<Reply> f : pool.invokeAll(calls)) {
                Reply r = f.get();
                assertTrue(r.status() == 200 || r.status() == 201, r.status() + " " + r.body());
                created += r.status() == 201 ? 1 : 0;
                ids.add(r.body().path("id").asLong());
            }
            assertEquals(1, ids.size(), "every submission answered with the same task");
            assertEquals(1, created, "exactly one 201");
            assertEquals(1, JobRepository.query("select count(*) N from AGENT_TASK where IDEMPOTENCY_KEY = ?", key)
                    .get(0).get("N") instanceof Number n ? n.intValue() : -1);
            API.awaitTermination(ids.iterator().next(), java.time.Duration.ofSeconds(60));
            assertEquals(1, MODEL.calls(scenario).size());
        } finally {
            pool.shutdownNow();
        }
    }
}
