package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * {@code GET /api/tasks/{id}/events} streams server-sent events: the task as it is, its state changes and one
 * event per committed iteration, then the stream ends after the terminal state. No polling.
 */
class EventsIT extends IntegrationTestBase {

    @Test
    void followsATaskToItsEnd() throws Exception {
        // given: a task that waits in the model long enough for the follower to connect
        String scenario = scenario("events");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}").delayed(1500), Reply.tools("check_disk", "{}").delayed(200),
                Reply.answer("done").delayed(200));
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));

        // when
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Integer.getInteger("it.http.port", 8280)
                + "/agent-batch/api/tasks/" + id + "/events")).header("Accept", "text/event-stream").GET().build();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        List<String> events = response.get(30, TimeUnit.SECONDS).body()
                .filter(line -> line.startsWith("event:")).map(line -> line.substring(6).trim()).toList();

        // then: the stream ended by itself after COMPLETED, with one iteration event per committed iteration
        assertEquals("task", events.get(0), events.toString());
        assertEquals(3, events.stream().filter("iteration"::equals).count(), events.toString());
        assertEquals("state", events.get(events.size() - 1), events.toString());
        assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(5)).path("state").asText());
        assertTrue(events.indexOf("iteration") > 0);
    }
}
