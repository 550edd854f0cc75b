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
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The REST API as method calls. Every failure leaves as a {@link CliException} carrying the exit code of the
 * contract: a 4xx is the caller's to fix (3, with the problem's detail; 401 and 403 say whose credentials were
 * refused), no answer or a 5xx means the server is not there to help (4).
 *
 * <p>Credentials ({@link Credentials}) are resolved at the first call that needs them, not before: {@code demo} and
 * {@code server start} create the local user's file just before they start the server. They are never sent in
 * clear text to another host: a plain {@code http://} URL with credentials must be loopback.
 */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final Context ctx;
    private final String baseUrl;
    private final HttpClient http;
    private Optional<Credentials> credentials;

    ApiClient(Context ctx) {
        this.ctx = ctx;
        this.baseUrl = ctx.baseUrl();
        // HTTP/1.1: the default HTTP/2 would try an h2c upgrade on every plain-text request
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        String caFile = ctx.env("AGENT_BATCH_CA_FILE");
        if (caFile != null && baseUrl.startsWith("https://")) {
            builder.sslContext(Tls.trusting(Path.of(caFile)));
        }
        this.http = builder.build();
    }

    /** The same server, as another user (the demo's approver). */
    ApiClient as(Credentials other) {
        ApiClient client = new ApiClient(ctx);
        client.credentials = Optional.of(other);
        return client;
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
        Map<String, String> query = new LinkedHashMap<>();
        if (state != null) {
            query.put("state", state);
        }
        if (limit != null) {
            query.put("limit", limit.toString());
        }
        return list(query);
    }

    /** {@code GET /api/tasks} with these query parameters (the list's filters, sort and page). */
    JsonNode list(Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return send(get("/api/tasks" + query));
    }

    /** {@code POST /api/tasks/bulk/ACTION}: restart or stop by ids or by a filter. */
    JsonNode bulk(String action, Map<String, Object> body) {
        return send(post("/api/tasks/bulk/" + action, body));
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

    JsonNode approvals() {
        return send(get("/api/approvals"));
    }

    JsonNode decide(long id, String toolCallId, String decision, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision);
        if (reason != null) {
            body.put("reason", reason);
        }
        return send(post("/api/tasks/" + id + "/approvals/" + URLEncoder.encode(toolCallId, StandardCharsets.UTF_8)
                .replace("+", "%20"), body));
    }

    JsonNode nodes() {
        return send(get("/api/nodes"));
    }

    JsonNode jobExecution(long id) {
        return send(get("/api/ops/executions/" + id));
    }

    /** {@code GET /api/health}: public, so it carries no credentials. */
    JsonNode health() {
        return send(HttpRequest.newBuilder(uri("/api/health")).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET());
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
     * Opens a stream of server-sent events. 401 and 403 end the command (exit 3) like any call; any other answer
     * than 200 is the caller's to judge, so the body is handed back unread (and must be closed).
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
        HttpRequest request = authenticated(builder).build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            throw refused(request, response.statusCode(), body);
        }
        return response;
    }

    private HttpRequest.Builder get(String path) {
        return authenticated(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").GET());
    }

    private HttpRequest.Builder post(String path, Map<String, Object> body) {
        // always a JSON body, even an empty one: the server may bind an optional entity
        return authenticated(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder authenticated(HttpRequest.Builder builder) {
        credentials().ifPresent(c -> builder.header("Authorization", c.basicHeader()));
        return builder;
    }

    private Optional<Credentials> credentials() {
        if (credentials == null) {
            credentials = Credentials.resolve(ctx);
            if (credentials.isPresent() && baseUrl.startsWith("http://") && !isLoopback(URI.create(baseUrl).getHost())
                    && ctx.env("AGENT_BATCH_ALLOW_HTTP") == null) {
                throw CliException.usage("refusing to send the password of " + credentials.get() + " in clear text to "
                        + baseUrl + "; use an https:// AGENT_BATCH_URL (AGENT_BATCH_CA_FILE for a private CA)"
                        + " or set AGENT_BATCH_ALLOW_HTTP=1");
            }
        }
        return credentials;
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.matches("127(\\.[0-9]{1,3}){3}")
                || host.equals("[::1]") || host.equals("::1"));
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
        if (status == 401 || status == 403) {
            throw refused(request, status, response.body());
        }
        String problem = Problems.text(status, request, response.body());
        if (status >= 400 && status < 500) {
            throw new CliException(ExitCodes.USAGE, problem);
        }
        throw new CliException(ExitCodes.UNREACHABLE, "server error " + status + " on " + request.method() + " "
                + request.uri().getPath() + ": " + problem);
    }

    /** 401: who was refused and how to fix it; 403: who may not, with the server's detail (the missing role). */
    private CliException refused(HttpRequest request, int status, String body) {
        Optional<Credentials> who = credentials();
        if (status == 401) {
            return CliException.usage(who.map(c -> "the server refused the credentials of " + c + " (401)")
                    .orElse("the server wants credentials (401)") + "; set AGENT_BATCH_USER/AGENT_BATCH_PASSWORD");
        }
        return CliException.usage((who.isPresent() ? who.get() + " may not " : "no anonymous access to ")
                + request.method() + " " + request.uri().getPath() + " (403): " + Problems.text(status, request, body));
    }
}
