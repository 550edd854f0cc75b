package dev.agentbatch.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/**
 * An external system with a side effect, as {@code http_request} reaches it, on WireMock: every request is in its
 * journal with its path and {@code Idempotency-Key} (raw count vs distinct keys is the duplicate-effect measure). It
 * can refuse the first requests to a path with a status (a 503 that did not apply the effect: a WireMock scenario
 * that moves on with each refusal), and can hold its first answer for a while, so a test can kill the server while the
 * effect is in flight. Tests count by a path prefix of their own (a scenario name), so one shared target serves every
 * test of the JVM.
 */
public final class EffectTarget implements AutoCloseable {

    private static final String KEY = "Idempotency-Key";
    private static EffectTarget shared;

    /** One received request. */
    public record Request(String path, String key) {
    }

    private final WireMockServer server;
    private final AtomicInteger scenarios = new AtomicInteger();
    private final Map<String, UUID> sized = new ConcurrentHashMap<>();
    private final Map<String, String> paddings = new ConcurrentHashMap<>();
    private volatile String padding = "";

    public EffectTarget(int port) throws IOException {
        server = new WireMockServer(loopback(port, 200));
        server.start();
        sized.put("", server.stubFor(any(anyUrl()).atPriority(10).willReturn(applied(""))).getId());
    }

    /** The one target of this test JVM, on {@code it.effect-target.port} (allowed to the Arquillian server). */
    public static synchronized EffectTarget shared() {
        if (shared == null) {
            try {
                shared = new EffectTarget(Integer.getInteger("it.effect-target.port", 18090));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the effect target", e);
            }
        }
        return shared;
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + Integer.getInteger("it.effect-target.port", 18090);
    }

    /**
     * A WireMock on loopback that answers as a plain HTTP/1.1 server would (no h2c, no gzip, a Content-Length), with
     * {@code threads} requests in flight at most: a held or delayed answer keeps its thread.
     */
    static WireMockConfiguration loopback(int port, int threads) {
        return wireMockConfig().bindAddress("127.0.0.1").port(port).containerThreads(threads).jettyAcceptQueueSize(1024)
                .http2PlainDisabled(true).gzipDisabled(true).jettyIdleTimeout(900_000L)
                .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.NEVER)
                .stubRequestLoggingDisabled(true); // else each request and answer is formatted into a log string
    }

    /** Makes every answer about {@code bytes} long (realistic tool results for benchmarks). */
    public void answerSize(int bytes) {
        padding = "x".repeat(Math.max(0, bytes - 60));
        resize("", any(anyUrl()).atPriority(10));
    }

    /** Makes the answers to {@code path} about {@code bytes} long (tool results of a test's own size). */
    public void answerSize(String path, int bytes) {
        paddings.put(path, "x".repeat(Math.max(0, bytes - 60)));
        resize(path, any(urlPathEqualTo(path)).atPriority(5));
    }

    private void resize(String path, com.github.tomakehurst.wiremock.client.MappingBuilder stub) {
        UUID old = sized.put(path, server.stubFor(stub.willReturn(applied(path))).getId());
        if (old != null) {
            server.removeStub(old);
        }
    }

    /** The first request to exactly {@code path} gets its answer only after {@code ms} (the effect is applied first). */
    public void hold(String path, long ms) {
        server.stubFor(any(urlPathEqualTo(path)).atPriority(2)
                .inScenario("hold " + path + " #" + scenarios.incrementAndGet())
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("answered")
                .willReturn(applied(path).withFixedDelay((int) ms)));
    }

    /** Waits until a request whose path starts with {@code prefix} arrived. */
    public boolean awaitRequest(String prefix, long seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (requests(prefix).isEmpty()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The first {@code times} requests to exactly {@code path} are answered {@code status}, without the effect. */
    public void refuse(String path, int status, int times) {
        String scenario = "refuse " + path + " #" + scenarios.incrementAndGet();
        for (int i = 0; i < times; i++) {
            server.stubFor(any(urlPathEqualTo(path)).atPriority(1).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "refused " + i).willSetStateTo("refused " + (i + 1))
                    .willReturn(aResponse().withStatus(status).withBody("{\"error\":\"try again later\"}")));
        }
    }

    public int rawCount() {
        return requests("").size();
    }

    public int distinctKeys() {
        return distinctKeys("");
    }

    /** Requests whose path starts with {@code prefix}, in arrival order, from WireMock's journal. */
    public List<Request> requests(String prefix) {
        RequestPatternBuilder pattern = prefix.isEmpty() ? anyRequestedFor(anyUrl())
                : anyRequestedFor(urlPathMatching(Pattern.quote(prefix) + ".*"));
        return server.findAll(pattern).stream()
                .map(r -> new Request(URI.create(r.getUrl()).getPath(), String.valueOf(r.getHeader(KEY)))).toList();
    }

    public int rawCount(String prefix) {
        return requests(prefix).size();
    }

    public int distinctKeys(String prefix) {
        return new HashSet<>(keys(prefix)).size();
    }

    public List<String> keys() {
        return keys("");
    }

    private List<String> keys(String prefix) {
        return requests(prefix).stream().map(Request::key).toList();
    }

    /** The effect, applied: the key it was applied under, and the padding the path's answers carry. */
    private ResponseDefinitionBuilder applied(String path) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"applied\":true,\"key\":\"{{request.headers." + KEY + "}}\",\"log\":\""
                        + paddings.getOrDefault(path, padding) + "\"}");
    }

    @Override
    public void close() {
        if (this != shared) {
            server.stop();
        }
    }
}
