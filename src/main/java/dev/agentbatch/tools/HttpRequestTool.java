package dev.agentbatch.tools;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.config.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code http_request}: calls only the hosts in AGENT_BATCH_HTTP_ALLOWED_HOSTS and always sends the tool call's
 * idempotency key as the {@code Idempotency-Key} header, so a call re-run after a crash is recognised by the target.
 */
@ApplicationScoped
public class HttpRequestTool implements AgentTool {

    static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    /** Refused before it was applied: retried, not in doubt. */
    private static final Set<Integer> REFUSED_STATUS = Set.of(429, 503);
    /** A gateway gave up waiting for the target: the effect may have happened. */
    private static final Set<Integer> GATEWAY_STATUS = Set.of(502, 504);

    @Inject
    AgentBatchConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Override
    public String name() {
        return "http_request";
    }

    @Override
    public String description() {
        return "Send an HTTP request to an allow-listed host; returns the status and the (truncated) body.";
    }

    /** A rule may gate by method: {@code http_request:!GET+HEAD} asks for approval of every call that may change something. */
    @Override
    public Set<String> approvalSubjects() {
        return METHODS;
    }

    @Override
    public String approvalSubject(JsonNode arguments) {
        String method = arguments.path("method").asText("").toUpperCase(Locale.ROOT);
        return METHODS.contains(method) ? method : null;
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object", "required", List.of("method", "url"), "properties", Map.of(
                "method", Map.of("type", "string", "enum", List.copyOf(METHODS)),
                "url", Map.of("type", "string"),
                "body", Map.of("type", "string")));
    }

    @Override
    public String execute(JsonNode arguments, ToolContext context) throws ToolFailure {
        String method = arguments.path("method").asText("").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw ToolFailure.permanent("method must be one of " + METHODS + ", got '" + method + "'");
        }
        URI uri = allowedUri(arguments.path("url").asText(""), config.httpAllowedHosts());
        String body = arguments.path("body").isMissingNode() || arguments.path("body").isNull()
                ? null : arguments.path("body").asText();
        Duration timeout = context.remaining().compareTo(MAX_TIMEOUT) < 0 ? context.remaining() : MAX_TIMEOUT;
        if (timeout.isZero()) {
            throw ToolFailure.transientFailure("no time left for the request", null);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Idempotency-Key", context.idempotencyKey())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (REFUSED_STATUS.contains(response.statusCode())) {
                throw ToolFailure.transientFailure(method + " " + uri + " answered " + response.statusCode(), null);
            }
            if (GATEWAY_STATUS.contains(response.statusCode())) {
                throw ToolFailure.inDoubt(method + " " + uri + " answered " + response.statusCode()
                        + " (a gateway gave up: the effect may have happened)", null);
            }
            String text = response.body() == null ? "" : response.body();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("status", response.statusCode());
            int max = config.toolResultMaxChars();
            result.put("body", text.length() > max ? text.substring(0, max) + "…(truncated)" : text);
            return Json.write(result);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw ToolFailure.transientFailure(method + " " + uri + " could not connect: " + e, e);
        } catch (IOException e) {
            // a read timeout, a reset, an early close: the request may have been received and applied
            throw ToolFailure.inDoubt(method + " " + uri + " failed after sending: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ToolFailure.transientFailure("interrupted", e);
        }
    }

    static URI allowedUri(String url, List<String> allowedHosts) throws ToolFailure {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ToolFailure.permanent("not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw ToolFailure.permanent("only absolute http(s) URLs are allowed: " + url);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String hostPort = uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        if (allowedHosts.stream().noneMatch(h -> h.equalsIgnoreCase(hostPort))) {
            throw ToolFailure.permanent("host " + hostPort + " is not allowed (AGENT_BATCH_HTTP_ALLOWED_HOSTS)");
        }
        return uri;
    }
}
