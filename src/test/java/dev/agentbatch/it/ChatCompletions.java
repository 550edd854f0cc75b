package dev.agentbatch.it;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestWrapper;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilterV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The part of {@link FakeOpenAiServer} that plain stubs cannot express, as one WireMock extension. As a request
 * filter it reads the chat request once and tags it: the scenario named in the user message and the scripted
 * iteration that answers it go into the URL the stubs match (so each call finds its stubs at once, see
 * {@link UrlIndexedStubStore}); the iteration (1 + assistant messages) and the size of a request over the scenario's
 * context limit go into headers. As a transformer it quotes the last tool result into a reply that asks for it. As
 * a serve-event listener it holds a reply until the test opens its gate; it runs after WireMock journaled the
 * request, so a held call is already visible to the test.
 */
final class ChatCompletions implements StubRequestFilterV2, ResponseDefinitionTransformerV2, ServeEventListener {

    static final String CHAT = "/v1/chat/completions";
    static final String ITERATION = "X-Fake-Iteration";
    static final String TOO_LONG = "X-Fake-Too-Long";
    static final String LAST_TOOL_RESULT = "{{lastToolResult}}";
    private static final Pattern SCENARIO_TAG = Pattern.compile("\\[scenario:([A-Za-z0-9_.-]+)]");

    private final Map<String, Integer> steps = new ConcurrentHashMap<>();
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    private final Map<UUID, CountDownLatch> gates = new ConcurrentHashMap<>();

    void scripted(String scenario, int iterations) {
        steps.put(scenario, iterations);
    }

    void forget(String scenario) {
        steps.remove(scenario);
        limits.remove(scenario);
    }

    void limit(String scenario, int bytes) {
        limits.put(scenario, bytes);
    }

    void hold(UUID stub, CountDownLatch gate) {
        gates.put(stub, gate);
    }

    void release(UUID stub) {
        gates.remove(stub);
    }

    @Override
    public String getName() {
        return "chat-completions";
    }

    @Override
    public RequestFilterAction filter(Request request, ServeEvent serveEvent) {
        JsonNode body;
        try {
            body = FakeOpenAiServer.JSON.readTree(request.getBody());
        } catch (IOException | RuntimeException e) {
            return RequestFilterAction.continueWith(request); // untagged: the fallback stub refuses it
        }
        String scenario = scenarioOf(body);
        if (scenario == null) {
            return RequestFilterAction.continueWith(request);
        }
        int iteration = 1;
        for (JsonNode m : body.path("messages")) {
            iteration += "assistant".equals(m.path("role").asText()) ? 1 : 0;
        }
        RequestWrapper.Builder tagged = RequestWrapper.create().addHeader(ITERATION, String.valueOf(iteration));
        String step = String.valueOf(Math.min(iteration, steps.getOrDefault(scenario, iteration)));
        Integer limit = limits.get(scenario);
        if (limit != null && request.getBody().length > limit) {
            tagged.addHeader(TOO_LONG, String.valueOf(request.getBody().length));
            step = "too-long";
        }
        String path = url(scenario, step);
        return RequestFilterAction.continueWith(tagged.transformAbsoluteUrl(u -> u.replace(CHAT, path)).wrap(request));
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        ResponseDefinition reply = serveEvent.getResponseDefinition();
        String text = reply.getBody();
        if (text == null || !text.contains(LAST_TOOL_RESULT)) {
            return reply;
        }
        String last = "";
        try {
            for (JsonNode m : FakeOpenAiServer.JSON.readTree(serveEvent.getRequest().getBody()).path("messages")) {
                last = "tool".equals(m.path("role").asText()) ? m.path("content").asText() : last;
            }
            String quoted = FakeOpenAiServer.JSON.writeValueAsString(last);
            return ResponseDefinitionBuilder.like(reply)
                    .withBody(text.replace(LAST_TOOL_RESULT, quoted.substring(1, quoted.length() - 1))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void beforeResponseSent(ServeEvent serveEvent, Parameters parameters) {
        CountDownLatch gate = serveEvent.getStubMapping() == null ? null : gates.get(serveEvent.getStubMapping().getId());
        if (gate != null) {
            try {
                gate.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean applyGlobally() {
        return true;
    }

    /** Where a tagged request goes: {@code step} is the scripted iteration that answers it, or "too-long". */
    static String url(String scenario, String step) {
        return CHAT + "/" + scenario + "/" + step;
    }

    private static String scenarioOf(JsonNode request) {
        for (JsonNode m : request.path("messages")) {
            if ("user".equals(m.path("role").asText())) {
                Matcher matcher = SCENARIO_TAG.matcher(m.path("content").asText());
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        return null;
    }
}
