package dev.agentbatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The REST API as method calls. Every failure leaves as a {@link CliException} carrying the exit code of the
 * contract: a 4xx is the caller's to fix (3, with the problem's detail), no answer or a 5xx means the server is
 * not there to help (4).
 */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;

    ApiClient(Context ctx) {
        this.baseUrl = ctx.baseUrl();
        // HTTP/1.1: the default HTTP/2 would try an h2c upgrade on every plain-text request
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode submit(Map<String, Object> body, String idempotencyKey) {
        HttpRequest.Builder request = post("/api/tasks", body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    JsonNode task(long id) {
        return send(get("/api/tasks/" + id));
    }

    JsonNode list(String state, Integer limit) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        if (state != null) {
            query.add("state=" + URLEncoder.encode(state, StandardCharsets.UTF_8));
        }
        if (limit != null) {
            query.add("limit=" + limit);
        }
        return send(get("/api/tasks" + query));
    }

    JsonNode transcript(long id) {
        return send(get("/api/tasks/" + id + "/transcript"));
    }

    JsonNode executions(long id) {
        return send(get("/api/tasks/" + id + "/executions"));
    }

    JsonNode restart(long id, Map<String, Object> body) {
        return send(post("/api/tasks/" + id + "/restart", body));
    }

    JsonNode stop(long id) {
        return send(post("/api/tasks/" + id + "/stop", new LinkedHashMap<>()));
    }

    JsonNode purge(Map<String, Object> body) {
        return send(post("/api/ops/purge", body));
    }

    JsonNode jobExecution(long id) {
        return send(get("/api/ops/executions/" + id));
    }

    JsonNode health() {
        return send(get("/api/health").timeout(Duration.ofSeconds(5)));
    }

    /**
     * Why the server is not ready, or {@code null} when /api/health says UP. For polling, where "not yet" is an
     * answer rather than an error.
     */
    String whyNotUp() {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/health")).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "health answered HTTP " + response.statusCode();
            }
            String status = Json.text(Json.parse(response.body()).path("status"), "no status");
            return status.equals("UP") ? null : "health says " + status;
        } catch (IOException e) {
            return Problems.describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while checking " + baseUrl + "/api/health", e);
        }
    }

    /**
     * Opens a stream of server-sent events. Any other answer than 200 is the caller's to judge, so the body is
     * handed back unread (and must be closed).
     *
     * @param lastEventId the id of the last event received, for the server to replay what came after; or null
     * @param timeout     how long to wait for the answer's headers (the stream itself may last as long as it likes)
     * @throws IOException when the request cannot be sent or answered
     */
    HttpResponse<InputStream> openEvents(String path, String lastEventId, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(timeout)
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET();
    }

    private HttpRequest.Builder post(String path, Map<String, Object> body) {
        // always a JSON body, even an empty one: the server may bind an optional entity
        return HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
    }

    private URI uri(String path) {
        try {
            return URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "invalid server URL " + baseUrl + " (check AGENT_BATCH_URL)", e);
        }
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "server at " + baseUrl + " did not answer " + request.method()
                    + " " + request.uri().getPath() + " in time (" + Problems.describe(e) + ")", e);
        } catch (IOException e) {
            String why = e instanceof ConnectException ? "" : " (" + Problems.describe(e) + ")";
            throw new CliException(ExitCodes.UNREACHABLE, "server not reachable at " + baseUrl + why
                    + " (start it with: bin/agent-batch server start)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNREACHABLE, "interrupted while calling " + request.uri(), e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            String text = response.body();
            try {
                return text == null || text.isBlank() ? MissingNode.getInstance() : Json.parse(text);
            } catch (JsonProcessingException e) {
                throw new CliException(ExitCodes.UNREACHABLE, request.method() + " " + request.uri()
                        + " answered something that is not JSON (" + e.getOriginalMessage()
                        + "); is AGENT_BATCH_URL right?", e);
            }
        }
        String problem = Problems.text(status, request, response.body());
        if (status >= 400 && status < 500) {
            throw new CliException(ExitCodes.USAGE, problem);
        }
        throw new CliException(ExitCodes.UNREACHABLE, "server error " + status + " on " + request.method() + " "
                + request.uri().getPath() + ": " + problem);
    }
}
