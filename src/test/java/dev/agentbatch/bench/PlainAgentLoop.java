package dev.agentbatch.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.MessageMapper;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.model.NoDelaySockets;
import dev.agentbatch.model.OpenAiChatModel;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.model.ToolSpec;
import dev.agentbatch.tools.AgentTool;
import dev.agentbatch.tools.ToolContext;

/**
 * The baseline: the seed's plain agent loop, in memory, nothing persisted. openai-java and the same tool
 * implementation as the durable loop, against the same fake model; only durability is missing.
 */
final class PlainAgentLoop implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final OpenAIClient client;
    private final AgentTool tool;

    PlainAgentLoop(String baseUrl, AgentTool tool) {
        // the product's own client settings (TCP_NODELAY), so the two loops pay the same transport
        this.client = OpenAiChatModel.client(NoDelaySockets.okHttp(), baseUrl, "bench", 0);
        this.tool = tool;
    }

    /** Runs one task to its final answer; returns the iterations it took. */
    int run(String input) throws Exception {
        return run(input, new ArrayList<>());
    }

    /** The same, adding the {@link System#nanoTime()} at which each iteration ended to {@code iterationEnds}. */
    int run(String input, List<Long> iterationEnds) throws Exception {
        List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.system("bench"), ChatMessage.user(input)));
        // built once per task, as the server builds them once per tool list
        var tools = MessageMapper.toTools(List.of(new ToolSpec(tool.name(), tool.description(), tool.parameters())));
        for (int iteration = 1; ; iteration++) {
            ModelTurn turn = MessageMapper.fromCompletion(client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("fake-model").messages(MessageMapper.toParams(conversation)).tools(tools).build()));
            conversation.add(turn.message());
            if (turn.message().isFinalAnswer()) {
                iterationEnds.add(System.nanoTime());
                return iteration;
            }
            for (ToolCall call : turn.message().toolCalls()) {
                String result = tool.execute(JSON.readTree(call.arguments()),
                        new ToolContext(0, iteration, call.id(), "plain", Instant.now().plus(Duration.ofMinutes(1))));
                conversation.add(ChatMessage.tool(call.id(), call.name(), result));
            }
            iterationEnds.add(System.nanoTime());
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
