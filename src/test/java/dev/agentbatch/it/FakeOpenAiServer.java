package dev.agentbatch.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A fake LLM at the one process boundary we do not own: WireMock speaking the OpenAI chat-completions wire protocol
 * (tool calls included), scripted per scenario. A scenario is named in the task's input as {@code [scenario:NAME]};
 * the iteration a request is for is 1 + the number of assistant messages it carries, so the script is deterministic
 * whatever retries or restarts happen. {@link ChatCompletions} puts both in the request's URL, and every scripted
 * reply is a stub of that URL. Each iteration may list several replies (faults first, say): they are the
 * states of a WireMock scenario, used in order, the last one repeating. Past the last scripted iteration, the last
 * one answers. What the model was asked is read back from WireMock's request journal.
 */
public final class FakeOpenAiServer {

    static final String CHAT = ChatCompletions.CHAT;
    static final ObjectMapper JSON = new ObjectMapper();
    private static FakeOpenAiServer shared;

    private final WireMockServer server;
    private final ChatCompletions tagger = new ChatCompletions();
    private final Map<UUID, Call> parsed = new ConcurrentHashMap<>();
    private final Map<String, List<UUID>> stubs = new ConcurrentHashMap<>();
    private final AtomicInteger scripts = new AtomicInteger();

    /** One received request: which iteration it was for, and when. */
    public record Call(int iteration, long atMillis, JsonNode body) {
    }

    /**
     * One scripted answer.
     *
     * @param gate when set, the answer waits until the test opens it (counts it down): a call the test can hold for
     *             as long as its scenario needs, instead of a delay that races it
     */
    public record Reply(int status, String body, long delayMs, CountDownLatch gate) {

        /** In an answer's text: replaced by the content of the last tool message of the request. */
        public static final String LAST_TOOL_RESULT = ChatCompletions.LAST_TOOL_RESULT;

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
        public Reply heldBy(CountDownLatch gate) {
            return new Reply(status, body, delayMs, gate);
        }

        /** The same answer with other tool-call ids, in call order (e.g. duplicates, or ids too long). */
        public Reply withToolCallIds(String... ids) {
            ObjectNode node = tree();
            ArrayNode calls = (ArrayNode) node.path("choices").get(0).path("message").path("tool_calls");
            for (int i = 0; i < ids.length && i < calls.size(); i++) {
                ((ObjectNode) calls.get(i)).put("id", ids[i]);
            }
            return new Reply(status, node.toString(), delayMs, gate);
        }

        public Reply usage(long prompt, long completion) {
            ObjectNode node = tree();
            node.set("usage", JSON.valueToTree(Map.of("prompt_tokens", prompt, "completion_tokens", completion,
                    "total_tokens", prompt + completion)));
            return new Reply(status, node.toString(), delayMs, gate);
        }

        private ObjectNode tree() {
            try {
                return (ObjectNode) JSON.readTree(body);
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

    private FakeOpenAiServer(int port) {
        // a thread per call in flight: the benchmarks hold up to a thousand delayed calls at once
        WireMockConfiguration options = EffectTarget.loopback(port, 1100).extensions(tagger);
        server = new WireMockServer(options.withStores(UrlIndexedStubStore.stores(options.filesRoot())));
        server.start();
        server.stubFor(post(urlPathMatching(Pattern.quote(CHAT) + "(/.*)?")).atPriority(10)
                .willReturn(json(400, "{\"error\":{\"message\":\"no scripted scenario in the request\"}}")));
    }

    /** The one fake of this test JVM, on the port the server under test was configured with. */
    public static synchronized FakeOpenAiServer shared() {
        if (shared == null) {
            shared = new FakeOpenAiServer(Integer.getInteger("it.fake-model.port", 18089));
        }
        return shared;
    }

    /** Scripts a scenario: element i holds the replies for iteration i + 1. */
    @SafeVarargs
    public final void script(String scenario, List<Reply>... iterations) {
        script(scenario, List.of(iterations));
    }

    /**
     * Scripts a scenario: element i holds the replies for iteration i + 1. Scripting a scenario again forgets its
     * earlier script and calls.
     */
    public void script(String scenario, List<List<Reply>> iterations) {
        List<UUID> ids = new ArrayList<>();
        List<UUID> earlier = stubs.put(scenario, ids);
        if (earlier != null) {
            earlier.forEach(server::removeStub);
            server.removeServeEventsMatching(postRequestedFor(urlPathMatching(Pattern.quote(CHAT + "/" + scenario + "/") + ".*")).build());
        }
        tagger.scripted(scenario, iterations.size());
        String prefix = scenario + " #" + scripts.incrementAndGet(); // WireMock's scenarios are global
        for (int i = 0; i < iterations.size(); i++) {
            List<Reply> replies = iterations.get(i);
            for (int attempt = 0; attempt < replies.size(); attempt++) {
                Reply reply = replies.get(attempt);
                MappingBuilder stub = post(urlEqualTo(ChatCompletions.url(scenario, String.valueOf(i + 1)))).atPriority(5)
                        .willReturn(json(reply.status(), reply.body()).withFixedDelay((int) reply.delayMs()));
                if (replies.size() > 1) {
                    ScenarioMappingBuilder state = stub.inScenario(prefix + " iteration " + (i + 1))
                            .whenScenarioStateIs(attempt == 0 ? Scenario.STARTED : "attempt " + (attempt + 1));
                    stub = attempt < replies.size() - 1 ? state.willSetStateTo("attempt " + (attempt + 2)) : state;
                }
                UUID id = server.stubFor(stub).getId();
                ids.add(id);
                if (reply.gate() != null) {
                    tagger.hold(id, reply.gate());
                }
            }
        }
    }

    /**
     * Forgets a scenario that is over: its stubs, and the requests it received. A benchmark scripts a scenario per task,
     * thousands of them; forgotten, they leave WireMock's stores as small as they were.
     */
    public void forget(String scenario) {
        List<UUID> ids = stubs.remove(scenario);
        if (ids != null) {
            ids.forEach(id -> {
                server.removeStub(id);
                tagger.release(id);
            });
        }
        tagger.forget(scenario);
        server.removeServeEventsMatching(postRequestedFor(urlPathMatching(Pattern.quote(CHAT + "/" + scenario + "/") + ".*")).build());
    }

    /** Scripts a scenario with one reply per iteration. */
    public void scriptSimple(String scenario, Reply... replies) {
        script(scenario, List.of(replies).stream().map(List::of).toList());
    }

    /** Waits until the model was asked {@code count} times in all for the scenario. */
    public void awaitCalls(String scenario, int count, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (calls(scenario).size() < count) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the model was asked " + calls(scenario).size() + " times for " + scenario
                        + ", not " + count + ", within " + timeout);
            }
            AgentBatchApi.pause(20);
        }
    }

    /** Requests of the scenario larger than {@code bytes} are refused as OpenAI refuses a context overflow (400). */
    public void refuseRequestsOver(String scenario, int bytes) {
        tagger.limit(scenario, bytes);
        server.stubFor(post(urlEqualTo(ChatCompletions.url(scenario, "too-long"))).atPriority(1)
                .willReturn(json(400, "{\"error\":{\"message\":\"This model's maximum context length is " + bytes
                        + " bytes; the request has {{request.headers." + ChatCompletions.TOO_LONG + "}}\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}")
                        .withTransformers("response-template")));
    }

    /** How many requests of the scenario were refused as too long. */
    public int refusedAsTooLong(String scenario) {
        return server.findAll(postRequestedFor(urlEqualTo(ChatCompletions.url(scenario, "too-long")))).size();
    }

    /** The requests the model answered for the scenario (not those refused as too long), in arrival order. */
    public List<Call> calls(String scenario) {
        return server.findAll(postRequestedFor(urlMatching(Pattern.quote(CHAT + "/" + scenario + "/") + "\\d+"))).stream()
                .map(r -> parsed.computeIfAbsent(r.getId(), id -> call(r))).toList();
    }

    private static Call call(LoggedRequest request) {
        try {
            return new Call(Integer.parseInt(request.getHeader(ChatCompletions.ITERATION)),
                    request.getLoggedDate().getTime(), JSON.readTree(request.getBody()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
