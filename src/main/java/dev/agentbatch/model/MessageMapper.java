package dev.agentbatch.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;

/** Translates our stored messages to openai-java's request types and its responses back. Pure, unit-tested. */
public final class MessageMapper {

    private MessageMapper() {
    }

    public static List<ChatCompletionMessageParam> toParams(List<ChatMessage> conversation) {
        List<ChatCompletionMessageParam> params = new ArrayList<>(conversation.size());
        for (ChatMessage m : conversation) {
            params.add(toParam(m));
        }
        return params;
    }

    static ChatCompletionMessageParam toParam(ChatMessage m) {
        String content = m.content() == null ? "" : m.content();
        return switch (m.role()) {
            case SYSTEM -> ChatCompletionMessageParam.ofSystem(
                    ChatCompletionSystemMessageParam.builder().content(content).build());
            case USER -> ChatCompletionMessageParam.ofUser(
                    ChatCompletionUserMessageParam.builder().content(content).build());
            case TOOL -> ChatCompletionMessageParam.ofTool(
                    ChatCompletionToolMessageParam.builder().toolCallId(m.toolCallId()).content(content).build());
            case ASSISTANT -> {
                ChatCompletionAssistantMessageParam.Builder b = ChatCompletionAssistantMessageParam.builder();
                if (m.content() != null) {
                    b.content(m.content());
                }
                for (ToolCall call : m.toolCalls()) {
                    b.addToolCall(ChatCompletionMessageFunctionToolCall.builder()
                            .id(call.id())
                            .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                    .name(call.name()).arguments(call.arguments()).build())
                            .build());
                }
                yield ChatCompletionMessageParam.ofAssistant(b.build());
            }
        };
    }

    public static List<ChatCompletionTool> toTools(List<ToolSpec> specs) {
        List<ChatCompletionTool> tools = new ArrayList<>(specs.size());
        for (ToolSpec spec : specs) {
            FunctionParameters.Builder parameters = FunctionParameters.builder();
            for (Map.Entry<String, Object> e : spec.parameters().entrySet()) {
                parameters.putAdditionalProperty(e.getKey(), JsonValue.from(e.getValue()));
            }
            tools.add(ChatCompletionTool.ofFunction(ChatCompletionFunctionTool.builder()
                    .function(FunctionDefinition.builder()
                            .name(spec.name())
                            .description(spec.description())
                            .parameters(parameters.build())
                            .build())
                    .build()));
        }
        return tools;
    }

    /**
     * The first choice as our message, with its usage.
     *
     * @throws MalformedModelResponse when the body is a completion with nothing usable in it
     */
    public static ModelTurn fromCompletion(ChatCompletion completion) {
        if (completion.choices().isEmpty()) {
            throw new MalformedModelResponse("the model's answer has no choices");
        }
        ChatCompletionMessage message = completion.choices().get(0).message();
        List<ToolCall> calls = new ArrayList<>();
        for (ChatCompletionMessageToolCall call : message.toolCalls().orElse(List.of())) {
            ChatCompletionMessageFunctionToolCall fn = call.function()
                    .orElseThrow(() -> new MalformedModelResponse("the model asked for a custom (non-function) tool call"));
            calls.add(new ToolCall(fn.id(), fn.function().name(), fn.function().arguments()));
        }
        String content = message.content().orElse(null);
        if (content == null && calls.isEmpty()) {
            content = message.refusal().orElse("");
        }
        Usage usage = completion.usage()
                .map(u -> new Usage(u.promptTokens(), u.completionTokens()))
                .orElse(Usage.NONE);
        return new ModelTurn(ChatMessage.assistant(content, calls), usage);
    }
}
