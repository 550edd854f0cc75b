package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * What the console asks of the API, on the real server: the list filtered by state, exit status, priority and text,
 * sorted and paged, with its total; the counts by state; and bulk restart by ids and by a filter, each task checked
 * as its single call would be (a submitter's bulk restart restarts their own task and is refused the other's).
 */
class TaskListIT extends IntegrationTestBase {

    @Test
    void theListFiltersSortsAndPagesWithATotal() {
        // given: three FAILED tasks (iteration limit) and one COMPLETED, all with a word no other test uses
        String word = "lst" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> failed = new ArrayList<>();
        for (int p = 1; p <= 3; p++) {
            failed.add(failedTask(TestUsers.ADMIN, word + " failing " + p, p));
        }
        long completed = completedTask(word + " fine");

        // when / then: by text and state, sorted by priority, two per page
        JsonNode first = API.get("/tasks?q=" + word.toUpperCase() + "&state=FAILED&sort=-priority&size=2").body();
        assertEquals(3, first.path("total").asLong(), first.toString());
        assertEquals(2, first.path("tasks").size());
        assertEquals(failed.get(2), first.path("tasks").get(0).path("id").asLong());
        assertEquals(failed.get(1), first.path("tasks").get(1).path("id").asLong());
        JsonNode second = API.get("/tasks?q=" + word + "&state=FAILED&sort=-priority&size=2&page=1").body();
        assertEquals(1, second.path("tasks").size());
        assertEquals(failed.get(0), second.path("tasks").get(0).path("id").asLong());
        // …by exit status and priority, and the old shape still answers
        JsonNode byExit = API.get("/tasks?q=" + word + "&exitStatus=ITERATION_LIMIT&priority=1,3").body();
        assertEquals(2, byExit.path("total").asLong(), byExit.toString());
        JsonNode all = API.get("/tasks?q=" + word + "&limit=10").body();
        assertEquals(4, all.path("tasks").size());
        assertEquals(completed, all.path("tasks").get(0).path("id").asLong(), "newest first by default");
        // …a time range that ends before they were made finds none, and a wildcard is only a character
        assertEquals(0, API.get("/tasks?q=" + word + "&to=2000-01-01").body().path("total").asLong());
        assertEquals(0, API.get("/tasks?q=" + word + "%25").body().path("total").asLong());
        assertEquals(400, API.get("/tasks?sort=input").status());

        // and the counts see them
        JsonNode counts = API.get("/tasks/counts").body();
        assertTrue(counts.path("states").path("FAILED").asLong() >= 3, counts.toString());
        assertTrue(counts.path("queueDepth").isNumber(), counts.toString());
    }

    @Test
    void aBulkRestartByFilterChecksEachTaskAsItsOwnCallWould() {
        // given: a FAILED task of it-submitter and one of it-submitter2 that share a word
        String word = "blk" + UUID.randomUUID().toString().substring(0, 8);
        long mine = failedTask(TestUsers.SUBMITTER, word + " mine", 4);
        long theirs = failedTask(TestUsers.SUBMITTER2, word + " theirs", 4);

        // when: it-submitter restarts every FAILED task with the word
        AgentBatchApi.Reply reply = AgentBatchApi.as(TestUsers.SUBMITTER).post("/tasks/bulk/restart",
                Map.of("filter", Map.of("state", "FAILED", "q", word), "overrides", Map.of("maxIterations", 5)));

        // then: the snapshot held both; theirs was refused with the single call's 403, mine restarted and completed
        assertEquals(200, reply.status(), String.valueOf(reply.body()));
        assertEquals(2, reply.body().path("requested").asInt(), reply.body().toString());
        assertEquals(1, reply.body().path("succeeded").asInt(), reply.body().toString());
        for (JsonNode r : reply.body().path("results")) {
            int expected = r.path("id").asLong() == mine ? 202 : 403;
            assertEquals(expected, r.path("status").asInt(), r.toString());
        }
        assertEquals("COMPLETED", API.awaitTermination(mine, Duration.ofSeconds(60)).path("state").asText());
        assertEquals("FAILED", API.task(theirs).path("state").asText());
        JsonNode audit = API.get("/tasks/" + mine + "/audit").body().path("audit");
        assertEquals("RESTART", audit.get(audit.size() - 1).path("action").asText(), audit.toString());

        // and by ids, as an operator: an unknown id is a 404 among the results, not a failed request
        AgentBatchApi.Reply byIds = AgentBatchApi.as(TestUsers.OPERATOR).post("/tasks/bulk/restart",
                Map.of("ids", List.of(theirs, 987654321L), "overrides", Map.of("maxIterations", 5)));
        assertEquals(200, byIds.status(), String.valueOf(byIds.body()));
        assertEquals(202, byIds.body().path("results").get(0).path("status").asInt(), byIds.body().toString());
        assertEquals(404, byIds.body().path("results").get(1).path("status").asInt(), byIds.body().toString());
        assertEquals("COMPLETED", API.awaitTermination(theirs, Duration.ofSeconds(60)).path("state").asText());
    }

    /** A task that fails at its iteration limit (1), with a model that would finish in two. */
    static long failedTask(String user, String input, int priority) {
        String scenario = scenario("lst");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = AgentBatchApi.as(user).submit(Map.of("input", input + " [scenario:" + scenario + "]", "maxIterations", 1,
                "priority", priority));
        assertEquals("FAILED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
        return id;
    }

    private static long completedTask(String input) {
        String scenario = scenario("lst");
        MODEL.scriptSimple(scenario, Reply.answer("done"));
        long id = API.submit(Map.of("input", input + " [scenario:" + scenario + "]"));
        API.awaitTermination(id, Duration.ofSeconds(60));
        return id;
    }
}
