package dev.agentbatch.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTool;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The only door to the model: one openai-java client per deployment. Its own retries default to 0
 * (AGENT_BATCH_OPENAI_MAX_RETRIES) so that the retry policy declared in agent-task.xml is the one in charge.
 */
@ApplicationScoped
public class OpenAiChatModel implements ChatModel {

    private static final Logger LOG = Logger.getLogger(OpenAiChatModel.class.getName());

    @Inject
    AgentBatchConfig config;

    private OpenAIClient client;
    private com.fasterxml.jackson.databind.json.JsonMapper json;
    private okhttp3.OkHttpClient http;
    private String model;
    /**
     * The tools' request parameters by tool list: the same few lists (the registry's, a task's allow-list) are sent with
     * every call, and openai-java's builders are not free. Immutable values; cleared if a deployment ever made many.
     */
    private final Map<List<ToolSpec>, List<ChatCompletionTool>> toolParams = new ConcurrentHashMap<>();

    @PostConstruct
    void connect() {
        model = config.openAiModel();
        String baseUrl = config.openAiBaseUrl();
        http = NoDelaySockets.okHttp();
        json = dev.agentbatch.config.Json.openAiMapper();
        client = client(http, json, baseUrl, config.openAiApiKey().orElse(AgentBatchConfig.DEMO_MODEL_NAME),
                config.openAiMaxRetries());
        LOG.info(() -> "model " + model + " at " + baseUrl
                + (config.usesDemoModel() ? " (no OPENAI_API_KEY: built-in offline demo model)" : ""));
    }

    /**
     * An openai-java client on {@code http} (which it borrows: the caller closes it). openai-java still applies each
     * request's timeout to its own copy of the OkHttp client.
     */
    public static OpenAIClient client(okhttp3.OkHttpClient http, String baseUrl, String apiKey, int maxRetries) {
        return client(http, dev.agentbatch.config.Json.openAiMapper(), baseUrl, apiKey, maxRetries);
    }

    private static OpenAIClient client(okhttp3.OkHttpClient http, com.fasterxml.jackson.databind.json.JsonMapper json,
                                       String baseUrl, String apiKey, int maxRetries) {
        return OpenAIOkHttpClient.builder().okHttpClient(http).jsonMapper(json).apiKey(apiKey).baseUrl(baseUrl)
                .maxRetries(maxRetries).build();
    }

    /**
     * Does once, before any task needs it, what the first model call of a deployment would otherwise do on a task's
     * time: create the client, and write a request and read an answer with its JSON mapper (loading openai-java's and
     * Kotlin's classes, building Jackson's serializers for them). No call is made.
     *
     * @return how long it took
     */
    public Duration warmUp() {
        long start = System.nanoTime();
        ModelWarmUp.exercise(json, model);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
        if (http != null) {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    @Override
    public ModelTurn next(List<ChatMessage> conversation, List<ToolSpec> tools, Duration timeout) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(model)
                .messages(MessageMapper.toParams(conversation));
        if (!tools.isEmpty()) {
            if (toolParams.size() > 64) {
                toolParams.clear();
            }
            params.tools(toolParams.computeIfAbsent(tools, MessageMapper::toTools));
        }
        ChatCompletion completion = client.chat().completions()
                .create(params.build(), RequestOptions.builder().timeout(timeout).build());
        return MessageMapper.fromCompletion(completion);
    }

    @Override
    public String modelName() {
        return model;
    }
}
