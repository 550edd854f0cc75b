package dev.agentbatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.openai.client.OpenAIClient;
import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model's client as the product builds it: on an OkHttp client whose sockets have TCP_NODELAY, with openai-java's
 * per-request timeout still in force, and no retries of its own.
 */
class OpenAiClientTest {

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile long delayMs;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                    + "\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":\"ok\"}}],"
                    + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void socketsHaveNoDelay() throws IOException {
        try (Socket socket = new NoDelaySockets().createSocket()) {
            assertTrue(socket.getTcpNoDelay());
        }
    }

    @Test
    void answersAndKeepsTheRequestTimeoutWithoutRetries() {
        okhttp3.OkHttpClient http = NoDelaySockets.okHttp();
        OpenAIClient client = OpenAiChatModel.client(http, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "k", 0);
        try {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m")
                    .messages(MessageMapper.toParams(List.of(ChatMessage.user("hi" + "x".repeat(20_000))))).build();
            assertEquals("ok", client.chat().completions().create(params).choices().get(0).message().content().orElse(null));

            delayMs = 2000;
            assertThrows(RuntimeException.class, () -> client.chat().completions().create(params,
                    RequestOptions.builder().timeout(Duration.ofMillis(300)).build()));
            assertEquals(2, requests.get(), "no retry of its own");
        } finally {
            client.close();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** A model that takes longer than OkHttp's own 10 s defaults still answers within the request's timeout. */
    @Test
    void aSlowAnswerWithinTheRequestTimeoutIsNotCutAtOkHttpsDefaults() {
        okhttp3.OkHttpClient http = NoDelaySockets.okHttp();
        OpenAIClient client = OpenAiChatModel.client(http, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "k", 0);
        try {
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m")
                    .messages(MessageMapper.toParams(List.of(ChatMessage.user("hi")))).build();
            delayMs = 11_000;
            assertEquals("ok", client.chat().completions().create(params,
                    RequestOptions.builder().timeout(Duration.ofSeconds(60)).build()).choices().get(0).message().content().orElse(null));
        } finally {
            client.close();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
