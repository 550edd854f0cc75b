package dev.agentbatch.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An external system with a side effect, as {@code http_request} reaches it: records every request's path and
 * {@code Idempotency-Key} (raw count vs distinct keys is the duplicate-effect measure), can refuse the first requests
 * to a path with a status (a 503 that did not apply the effect), and can hold its first answer for a while, so a test
 * can kill the server while the effect is in flight. Tests count by a path prefix of their own (a scenario name), so
 * one shared target serves every test of the JVM.
 */
public final class EffectTarget implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // see FakeOpenAiServer
    }

    private static EffectTarget shared;

    /** One received request. */
    public record Request(String path, String key) {
    }

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final Map<String, Integer> refusalStatus = new ConcurrentHashMap<>();
    private final Map<String, Long> holds = new ConcurrentHashMap<>();
    private volatile String padding = "";
    private final Map<String, String> paddings = new ConcurrentHashMap<>();

    public EffectTarget(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 2000);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "effect-target");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
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

    /** Makes every answer about {@code bytes} long (realistic tool results for benchmarks). */
    public void answerSize(int bytes) {
        padding = "x".repeat(Math.max(0, bytes - 60));
    }

    /** Makes the answers to {@code path} about {@code bytes} long (tool results of a test's own size). */
    public void answerSize(String path, int bytes) {
        paddings.put(path, "x".repeat(Math.max(0, bytes - 60)));
    }

    /** The first request to exactly {@code path} gets its answer only after {@code ms} (the effect is applied first). */
    public void hold(String path, long ms) {
        holds.put(path, ms);
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
        refusalStatus.put(path, status);
        refusals.put(path, new AtomicInteger(times));
    }

    public int rawCount() {
        return requests.size();
    }

    public int distinctKeys() {
        synchronized (requests) {
            return new HashSet<>(requests.stream().map(Request::key).toList()).size();
        }
    }

    /** Requests whose path starts with {@code prefix}, in arrival order. */
    public List<Request> requests(String prefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
        }
    }

    public int rawCount(String prefix) {
        return requests(prefix).size();
    }

    public int distinctKeys(String prefix) {
        return new HashSet<>(requests(prefix).stream().map(Request::key).toList()).size();
    }

    public List<String> keys() {
        synchronized (requests) {
            return requests.stream().map(Request::key).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, String.valueOf(key)));
            AtomicInteger left = refusals.get(path);
            if (left != null && left.getAndDecrement() > 0) {
                byte[] refused = "{\"error\":\"try again later\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(refusalStatus.get(path), refused.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(refused);
                }
                return;
            }
            Long hold = holds.remove(path);
            if (hold != null) {
                Thread.sleep(hold);
            }
            byte[] body = ("{\"applied\":true,\"key\":\"" + key + "\",\"log\":\"" + paddings.getOrDefault(path, padding)
                    + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the caller was killed mid-request: the effect happened, the answer has nowhere to go
        }
    }

    @Override
    public void close() {
        if (this != shared) {
            server.stop(0);
        }
    }
}
