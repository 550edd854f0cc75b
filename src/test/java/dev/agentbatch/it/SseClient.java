package dev.agentbatch.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** A server-sent events client for tests: reads a stream in the background and keeps every event it received. */
public final class SseClient implements AutoCloseable {

    /** One event as it came. */
    public record Event(String id, String name, String data) {
    }

    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    /**
     * HTTP/1.1 unless a test asks otherwise, as the product's clients speak to a plain-http server (the console's
     * browser, the CLI's ApiClient). Held for the stream's life.
     */
    private final HttpClient http;
    private final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;
    private volatile boolean ended;
    /** How the stream ended: by the server, or with the client's error (what a failing test should say). */
    private volatile String ending = "open";
    /** Comment lines received ({@code : …}): the server's keep-alives, never events. */
    private final java.util.concurrent.atomic.AtomicInteger comments = new java.util.concurrent.atomic.AtomicInteger();

    private SseClient(String url, String lastEventId, String authorization) {
        this(url, lastEventId, authorization, HttpClient.Version.HTTP_1_1);
    }

    private SseClient(String url, String lastEventId, String authorization, HttpClient.Version version) {
        http = HttpClient.newBuilder().version(version).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                }
            }
            ending = "ended by the server (HTTP " + r.statusCode() + ")";
            ended = true;
        }).exceptionally(e -> {
            ending = "failed: " + e;
            ended = true;
            return null;
        });
    }

    /** Opens {@code path} (under the API's base) with the API's credentials. */
    public static SseClient open(AgentBatchApi api, String path) {
        return new SseClient(api.base() + path, null, api.authorization());
    }

    /** The same, resuming after {@code lastEventId}. */
    public static SseClient open(AgentBatchApi api, String path, String lastEventId) {
        return new SseClient(api.base() + path, lastEventId, api.authorization());
    }

    /** The same, with a client that asks for {@code version} (HTTP/2: by an h2c upgrade, as the JDK's default does). */
    public static SseClient open(AgentBatchApi api, String path, HttpClient.Version version) {
        return new SseClient(api.base() + path, null, api.authorization(), version);
    }

    /** The HTTP version the server answered with (once the response has begun). */
    public HttpClient.Version version() {
        return response.join().version();
    }

    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** "open", "ended by the server (HTTP 200)", or "failed: " and the client's error. */
    public String ending() {
        return ending;
    }

    public int comments() {
        return comments.get();
    }

    /** Waits until the stream brought {@code count} comment lines. */
    public void awaitComments(int count, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (comments.get() < count) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError(comments.get() + " comment line(s) within " + timeout + ", not " + count + "; got "
                        + events() + " (" + ending + ")");
            }
            AgentBatchApi.pause(20);
        }
    }

    /** Waits until an event matches, and returns it. */
    public Event await(Predicate<Event> condition, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (Instant.now().isBefore(end)) {
            for (Event e : events()) {
                if (condition.test(e)) {
                    return e;
                }
            }
            AgentBatchApi.pause(20);
        }
        throw new AssertionError("no such event within " + timeout + "; got " + events());
    }

    /** Waits until the server ended the stream. */
    public void awaitEnd(Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (!ended) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("the stream did not end within " + timeout + "; got " + events() + " (" + ending + ")");
            }
            AgentBatchApi.pause(20);
        }
    }

    @Override
    public void close() {
        response.cancel(true);
    }
}
