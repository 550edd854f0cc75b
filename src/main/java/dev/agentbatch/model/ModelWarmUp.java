package dev.agentbatch.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Warms the model client as the deployment starts, on a thread of its own beside the rest of the boot: the first
 * model call of a deployment took 5 s more than the next ones on the test machine (the client's creation, openai-java's
 * and Kotlin's classes, Jackson's serializers for its request and answer types), and a task paid for it, the first
 * one after every boot and every crash recovery. Nothing is sent to the model; a failure here only costs the warm-up.
 */
@ApplicationScoped
public class ModelWarmUp {

    private static final Logger LOG = Logger.getLogger(ModelWarmUp.class.getName());

    /** An answer as OpenAI writes it: a tool call, with content and usage. */
    private static final String ANSWER = "{\"id\":\"chatcmpl-warm-up\",\"object\":\"chat.completion\",\"created\":0,"
            + "\"model\":\"warm-up\",\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":"
            + "\"assistant\",\"content\":\"checking\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"check_disk\",\"arguments\":\"{}\"}}]}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,"
            + "\"total_tokens\":2}}";

    @Inject
    OpenAiChatModel model;
    @Resource
    ManagedThreadFactory threads;

    /** A plain thread, not the managed executor: WildFly refuses executor tasks while the booting server is suspended. */
    void deployed(@Observes @Initialized(ApplicationScoped.class) Object event) {
        Thread warm = threads.newThread(() -> {
            try {
                LOG.info(() -> "model client warmed up in " + model.warmUp().toMillis() + " ms (no call made)");
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "could not warm the model client up; the first model call will do it", e);
            }
        });
        warm.setName("agent-batch-model-warm-up");
        warm.start();
    }

    /** One request written and one answer read with the client's mapper, both through our own mapping. */
    static void exercise(JsonMapper json, String model) {
        List<ChatMessage> conversation = List.of(ChatMessage.system("warm-up"), ChatMessage.user("warm-up"),
                ChatMessage.assistant(null, List.of(new ToolCall("call_1", "check_disk", "{}"))),
                ChatMessage.tool("call_1", "check_disk", "{}"));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model)
                .messages(MessageMapper.toParams(conversation))
                .tools(MessageMapper.toTools(List.of(new ToolSpec("check_disk", "warm-up",
                        Map.of("type", "object", "properties", Map.of())))))
                .build();
        try {
            json.writeValueAsBytes(params._body());
            MessageMapper.fromCompletion(json.readValue(ANSWER, ChatCompletion.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
