package dev.agentbatch.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An external system with a side effect, as {@code http_request} reaches it: records every request's
 * {@code Idempotency-Key} (raw count vs distinct keys is the duplicate-effect measure) and can hold its first
 * answer for a while, so a test can kill the server while the effect is in flight.
 */
public final class EffectTarget implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // see FakeOpenAiServer
    }

    private final HttpServer server;
    private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private volatile long firstAnswerDelayMs;
    private volatile String padding = "";

    public EffectTarget(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "effect-target");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Makes every answer about {@code bytes} long (realistic tool results for benchmarks). */
    public void answerSize(int bytes) {
        padding = "x".repeat(Math.max(0, bytes - 60));
    }

    public void holdFirstAnswer(long ms) {
        firstAnswerDelayMs = ms;
    }

    public boolean awaitFirstRequest(long seconds) throws InterruptedException {
        return firstRequest.await(seconds, TimeUnit.SECONDS);
    }

    public int rawCount() {
        return keys.size();
    }

    public int distinctKeys() {
        synchronized (keys) {
            return new HashSet<>(keys).size();
        }
    }

    public List<String> keys() {
        synchronized (keys) {
            return List.copyOf(keys);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            keys.add(String.valueOf(key));
            boolean first = firstRequest.getCount() > 0;
            firstRequest.countDown();
            if (first && firstAnswerDelayMs > 0) {
                Thread.sleep(firstAnswerDelayMs);
            }
            byte[] body = ("{\"applied\":true,\"key\":\"" + key + "\",\"log\":\"" + padding + "\"}").getBytes(StandardCharsets.UTF_8);
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
        server.stop(0);
    }
}
