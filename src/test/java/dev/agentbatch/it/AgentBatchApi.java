package dev.agentbatch.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The REST API of the server under test, as a client sees it, plus the one waiting helper. */
public final class AgentBatchApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "STOPPED");

    private final String base;
    /** The Authorization header (HTTP BASIC), or null for a call without credentials. */
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AgentBatchApi(String base, String user, String password) {
        this.base = base;
        this.authorization = user == null ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The Arquillian server's API as the test administrator (all four roles). */
    public static AgentBatchApi forTests() {
        return as(TestUsers.ADMIN);
    }

    /** The Arquillian server's API as this test user, or with no credentials when {@code user} is null. */
    public static AgentBatchApi as(String user) {
        return new AgentBatchApi("http://127.0.0.1:" + Integer.getInteger("it.http.port", 8280) + "/agent-batch/api", user,
                user == null ? null : TestUsers.password(user));
    }

    public String base() {
        return base;
    }

    public String authorization() {
        return authorization;
    }

    /** Status code and parsed body (null when empty). */
    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    public Reply post(String path, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
            headers.forEach(b::header);
            return send(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Reply post(String path, Object body) {
        return post(path, body, Map.of());
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET());
    }

    private Reply send(HttpRequest.Builder builder) {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body() == null || response.body().isBlank() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Submits and returns the new task's id. */
    public long submit(Map<String, Object> body) {
        Reply reply = post("/tasks", body);
        if (reply.status() != 201) {
            throw new AssertionError("submit answered " + reply.status() + ": " + reply.body());
        }
        return reply.body().path("id").asLong();
    }

    public JsonNode task(long id) {
        return get("/tasks/" + id).body();
    }

    /** Waits until the task is COMPLETED, FAILED or STOPPED and returns it; fails after {@code timeout}. */
    public JsonNode awaitTermination(long id, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        JsonNode task = task(id);
        while (!TERMINAL.contains(task.path("state").asText())) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("task " + id + " not finished after " + timeout + ": " + task);
            }
            pause(100);
            task = task(id);
        }
        return task;
    }

    /** Waits until the task is carried by an execution other than {@code previous} (a restart's listener ran). */
    public JsonNode awaitExecutionChange(long id, long previous, Duration timeout) {
        return await(id, t -> t.path("executionId").isNumber() && t.path("executionId").asLong() != previous,
                "to leave execution " + previous, timeout);
    }

    /** Waits until the task is in {@code state}. */
    public JsonNode awaitState(long id, String state, Duration timeout) {
        return await(id, t -> state.equals(t.path("state").asText()), "to be " + state, timeout);
    }

    /** Waits for a condition the server exposes on the task, polling its view. */
    public JsonNode await(long id, java.util.function.Predicate<JsonNode> condition, String what, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        JsonNode task = task(id);
        while (!condition.test(task)) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("task " + id + " did not come " + what + " within " + timeout + ": " + task);
            }
            pause(50);
            task = task(id);
        }
        return task;
    }

    /** Waits until the task reaches the given state (e.g. RUNNING with a committed iteration). */
    public JsonNode awaitIterations(long id, int iterations, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        JsonNode task = task(id);
        while (task.path("iterations").asInt() < iterations) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("task " + id + " did not reach " + iterations + " iterations: " + task);
            }
            pause(50);
            task = task(id);
        }
        return task;
    }

    public static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
