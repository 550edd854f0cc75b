package dev.agentbatch.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake LLM at the one process boundary we do not own: an HTTP server speaking the OpenAI chat-completions
 * wire protocol (tool calls included), scripted per scenario. A scenario is named in the task's input as
 * {@code [scenario:NAME]}; the iteration a request is for is 1 + the number of assistant messages it carries,
 * so the script is deterministic whatever retries or restarts happen. Each iteration may list several
 * replies (faults first, say): they are used in order, the last one repeats.
 */
public final class FakeOpenAiServer {

    static {
        // the JDK server writes headers and body separately: without TCP_NODELAY, Nagle and the client's delayed
        // ACK add ~40 ms to every answer, which would swamp every latency this fake is used to measure
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final Pattern SCENARIO = Pattern.compile("\\[scenario:([A-Za-z0-9_.-]+)]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer shared;

    private final HttpServer server;
    private final Map<String, List<List<Reply>>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<Call>> calls = new ConcurrentHashMap<>();
    private final Map<String, Integer> contextLimits = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> refused = new ConcurrentHashMap<>();

    /** One received request: which iteration it was for, and when. */
    public record Call(int iteration, long atMillis, JsonNode body) {
    }

    /**
     * One scripted answer.
     *
     * @param gate when set, the answer waits until the test opens it (counts it down): a call the test can hold for
     *             as long as its scenario needs, instead of a delay that races it
     */
    public record Reply(int status, String body, long delayMs, java.util.concurrent.CountDownLatch gate) {

        /** In an answer's text: replaced by the content of the last tool message of the request. */
        public static final String LAST_TOOL_RESULT = "{{lastToolResult}}";

        public Reply(int status, String body, long delayMs) {
            this(status, body, delayMs, null);
        }

        public static Reply answer(String text) {
            return completion(text, List.of(), 20, 10);
        }

        /** Tool calls as alternating name, arguments JSON pairs; ids are call_&lt;n&gt;. */
        public static Reply tools(String... nameThenArguments) {
            List<String[]> calls = new ArrayList<>();
            for (int i = 0; i < nameThenArguments.length; i += 2) {
                calls.add(new String[] {nameThenArguments[i], nameThenArguments[i + 1]});
            }
            return completion(null, calls, 20, 10);
        }

        /**
         * A final answer that quotes the last tool result the model received: {@code text} with
         * {@value #LAST_TOOL_RESULT} replaced by it, as a model that reads its tool results would.
         */
        public static Reply answerQuotingLastToolResult(String text) {
            return answer(text);
        }

        public static Reply status(int status) {
            return new Reply(status, "{\"error\":{\"message\":\"scripted " + status + "\",\"type\":\"server_error\"}}", 0);
        }

        public static Reply raw(int status, String body) {
            return new Reply(status, body, 0);
        }

        public Reply delayed(long ms) {
            return new Reply(status, body, ms, gate);
        }

        /** This answer is held until {@code gate} is counted down (at most two minutes). */
        public Reply heldBy(java.util.concurrent.CountDownLatch gate) {
            return new Reply(status, body, delayMs, gate);
        }

        /** The same answer with other tool-call ids, in call order (e.g. duplicates, or ids too long). */
        public Reply withToolCallIds(String... ids) {
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(body);
                ArrayNode calls = (ArrayNode) node.path("choices").get(0).path("message").path("tool_calls");
                for (int i = 0; i < ids.length && i < calls.size(); i++) {
                    ((ObjectNode) calls.get(i)).put("id", ids[i]);
                }
                return new Reply(status, JSON.writeValueAsString(node), delayMs, gate);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public Reply usage(long prompt, long completion) {
            try {
                ObjectNode node = (ObjectNode) JSON.readTree(body);
                node.set("usage", JSON.valueToTree(Map.of("prompt_tokens", prompt, "completion_tokens", completion,
                        "total_tokens", prompt + completion)));
                return new Reply(status, JSON.writeValueAsString(node), delayMs, gate);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Reply completion(String content, List<String[]> toolCalls, long prompt, long completion) {
            ObjectNode message = JSON.createObjectNode().put("role", "assistant");
            message.put("content", content);
            if (!toolCalls.isEmpty()) {
                ArrayNode array = message.putArray("tool_calls");
                int n = 1;
                for (String[] call : toolCalls) {
                    ObjectNode c = array.addObject().put("id", "call_" + n++).put("type", "function");
                    c.putObject("function").put("name", call[0]).put("arguments", call[1]);
                }
            }
            ObjectNode body = JSON.createObjectNode().put("id", "chatcmpl-fake").put("object", "chat.completion")
                    .put("created", System.currentTimeMillis() / 1000).put("model", "fake-model");
            body.putArray("choices").addObject().put("index", 0)
                    .put("finish_reason", toolCalls.isEmpty() ? "stop" : "tool_calls").set("message", message);
            body.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                    .put("total_tokens", prompt + completion);
            return new Reply(200, body.toString(), 0);
        }
    }

    private FakeOpenAiServer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 2000);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-openai");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The one fake of this test JVM, on the port the server under test was configured with. */
    public static synchronized FakeOpenAiServer shared() {
        if (shared == null) {
            try {
                shared = new FakeOpenAiServer(Integer.getInteger("it.fake-model.port", 18089));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake OpenAI server", e);
            }
        }
        return shared;
    }

    /** Scripts a scenario: element i holds the replies for iteration i + 1. */
    @SafeVarargs
    public final void script(String scenario, List<Reply>... iterations) {
        scripts.put(scenario, List.of(iterations));
        calls.put(scenario, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Scripts a scenario: element i holds the replies for iteration i + 1. */
    public void script(String scenario, List<List<Reply>> iterations) {
        scripts.put(scenario, List.copyOf(iterations));
        calls.put(scenario, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Waits until the model was asked {@code count} times in all for the scenario. */
    public void awaitCalls(String scenario, int count, java.time.Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (calls(scenario).size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the model was asked " + calls(scenario).size() + " times for " + scenario
                        + ", not " + count + ", within " + timeout);
            }
            AgentBatchApi.pause(20);
        }
    }

    /** Scripts a scenario with one reply per iteration. */
    public void scriptSimple(String scenario, Reply... replies) {
        List<List<Reply>> iterations = new ArrayList<>();
        for (Reply r : replies) {
            iterations.add(List.of(r));
        }
        scripts.put(scenario, iterations);
        calls.put(scenario, Collections.synchronizedList(new ArrayList<>()));
    }

    /** Requests of the scenario larger than {@code bytes} are refused as OpenAI refuses a context overflow (400). */
    public void refuseRequestsOver(String scenario, int bytes) {
        contextLimits.put(scenario, bytes);
    }

    /** How many requests of the scenario were refused as too long. */
    public int refusedAsTooLong(String scenario) {
        java.util.concurrent.atomic.AtomicInteger n = refused.get(scenario);
        return n == null ? 0 : n.get();
    }

    public List<Call> calls(String scenario) {
        synchronized (calls.get(scenario)) {
            return List.copyOf(calls.get(scenario));
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request;
            byte[] raw;
            try (InputStream in = exchange.getRequestBody()) {
                raw = in.readAllBytes();
                request = JSON.readTree(raw);
            }
            String scenario = scenarioOf(request);
            Integer limit = scenario == null ? null : contextLimits.get(scenario);
            if (limit != null && raw.length > limit) {
                refused.computeIfAbsent(scenario, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                send(exchange, Reply.raw(400, "{\"error\":{\"message\":\"This model's maximum context length is "
                        + limit + " bytes; the request has " + raw.length + "\",\"type\":\"invalid_request_error\","
                        + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));
                return;
            }
            List<List<Reply>> script = scenario == null ? null : scripts.get(scenario);
            if (script == null) {
                send(exchange, Reply.raw(400, "{\"error\":{\"message\":\"no scripted scenario in the request\"}}"));
                return;
            }
            int iteration = 1;
            for (JsonNode m : request.path("messages")) {
                iteration += "assistant".equals(m.path("role").asText()) ? 1 : 0;
            }
            List<Call> received = calls.get(scenario);
            int attempt;
            synchronized (received) {
                final int it = iteration;
                attempt = (int) received.stream().filter(c -> c.iteration() == it).count();
                received.add(new Call(iteration, System.currentTimeMillis(), request));
            }
            List<Reply> replies = script.get(Math.min(iteration, script.size()) - 1);
            Reply reply = replies.get(Math.min(attempt, replies.size() - 1));
            if (reply.delayMs() > 0) {
                Thread.sleep(reply.delayMs());
            }
            if (reply.gate() != null) {
                reply.gate().await(120, java.util.concurrent.TimeUnit.SECONDS);
            }
            if (reply.body().contains(Reply.LAST_TOOL_RESULT)) {
                String last = "";
                for (JsonNode m : request.path("messages")) {
                    last = "tool".equals(m.path("role").asText()) ? m.path("content").asText() : last;
                }
                String quoted = JSON.writeValueAsString(last);
                reply = new Reply(reply.status(), reply.body().replace(Reply.LAST_TOOL_RESULT,
                        quoted.substring(1, quoted.length() - 1)), 0);
            }
            send(exchange, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the client went away (timeout, crash): nothing to answer
        }
    }

    private static String scenarioOf(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                Matcher matcher = SCENARIO.matcher(m.path("content").asText());
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
