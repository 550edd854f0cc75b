package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * {@code GET /api/tasks/{id}/events} streams a task to its end: the task as it is first, then one {@code iteration}
 * event per committed iteration and the final {@code state}, every event with an id, ids in order; the server ends the
 * stream. The model holds its first answer until the follower has its snapshot, so the test never races the task.
 * A quiet stream gets keep-alive comments.
 */
class EventsIT extends IntegrationTestBase {

    @Test
    void followsATaskToItsEnd() {
        // given: a task whose first model call waits for the test
        CountDownLatch connected = new CountDownLatch(1);
        String scenario = scenario("events");
        MODEL.script(scenario, List.of(List.of(Reply.tools("check_disk", "{}").heldBy(connected)),
                List.of(Reply.tools("check_disk", "{}")), List.of(Reply.answer("done"))));
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));

        // when
        try (SseClient stream = SseClient.open(API, "/tasks/" + id + "/events")) {
            stream.await(e -> "task".equals(e.name()), Duration.ofSeconds(60));
            connected.countDown();
            stream.awaitEnd(Duration.ofSeconds(60));

            // then: the stream ended by itself after COMPLETED, with one iteration event per committed iteration
            List<String> names = stream.events().stream().map(SseClient.Event::name).toList();
            String seen = "events " + stream.events() + ", stream " + stream.ending() + "; the task now: " + API.task(id)
                    + "; model calls: " + MODEL.calls(scenario).size() + "; AGENT_EVENT holds: " + recorded(id);
            assertEquals("task", names.get(0), seen);
            assertEquals(3, names.stream().filter("iteration"::equals).count(), seen);
            assertEquals("state", names.get(names.size() - 1), seen);
            assertTrue(stream.events().get(names.size() - 1).data().contains("\"COMPLETED\""), seen);
            long previous = -1;
            for (SseClient.Event e : stream.events()) {
                assertTrue(Long.parseLong(e.id()) >= previous, "ids in order: " + seen);
                previous = Long.parseLong(e.id());
            }
        }
        assertEquals("COMPLETED", API.task(id).path("state").asText());
    }

    @Test
    void aQuietStreamIsKeptAlive() {
        // given: the test server sends a keep-alive every second (arquillian.xml; the product's default is 15 s)
        try (SseClient stream = SseClient.open(API, "/events")) {
            stream.await(e -> "hello".equals(e.name()), Duration.ofSeconds(60));

            // when: nothing happens for a few seconds
            stream.awaitComments(3, Duration.ofSeconds(30));

            // then: comment lines came, the stream is open, and no event was made of them
            assertEquals("open", stream.ending());
            assertTrue(stream.events().stream().allMatch(e -> e.name() != null && e.id() != null), stream.events().toString());
        }
    }

    @Test
    void aClientThatAsksForHttp2FollowsOverHttp11() {
        // given: a client that asks for HTTP/2 on the plain listener (an h2c upgrade: curl --http2, the JDK's default)
        try (SseClient stream = SseClient.open(API, "/events", java.net.http.HttpClient.Version.HTTP_2)) {
            // when: it follows the event stream
            stream.await(e -> "hello".equals(e.name()), Duration.ofSeconds(60));

            // then: the server answered in HTTP/1.1, where the listener's read-timeout (90 s) does not cut a stream
            // that the client only reads (over h2c it did, keep-alives or not: HTTP/2 counts the client's reads)
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, stream.version());
            stream.awaitComments(1, Duration.ofSeconds(30));
            assertEquals("open", stream.ending());
        }
    }

    /** What a client reconnecting from the start replays: the task's events as AGENT_EVENT recorded them. */
    private static String recorded(long id) {
        try (SseClient replay = SseClient.open(API, "/tasks/" + id + "/events", "0")) {
            try {
                replay.awaitEnd(Duration.ofSeconds(10));
            } catch (AssertionError stillOpen) {
                // the task has not ended: what came so far is the answer
            }
            return replay.events().stream().map(e -> e.id() + " " + e.name()).toList() + " (" + replay.ending() + ")";
        }
    }
}
