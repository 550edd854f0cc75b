package dev.agentbatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;

/** Our stored messages to openai-java's request types and its wire JSON, and its responses back. */
class MessageMapperTest {

    private static final ObjectMapper SDK_JSON = ObjectMappers.jsonMapper();

    @Test
    void conversationMapsToTheWireFormat() throws Exception {
        // given
        List<ChatMessage> conversation = List.of(
                ChatMessage.system("be careful"),
                ChatMessage.user("I'm out of disk space. Fix it."),
                ChatMessage.assistant(null, List.of(new ToolCall("call_1", "check_disk", "{}"))),
                ChatMessage.tool("call_1", "check_disk", "{\"usedPercent\":97.0}"));

        // when
        List<ChatCompletionMessageParam> params = MessageMapper.toParams(conversation);
        JsonNode wire = SDK_JSON.valueToTree(ChatCompletionCreateParams.builder().model("m").messages(params)
                .tools(MessageMapper.toTools(List.of(new ToolSpec("check_disk", "d",
                        Map.of("type", "object", "properties", Map.of())))))
                .build()._body());

        // then
        JsonNode messages = wire.path("messages");
        assertEquals("system", messages.get(0).path("role").asText());
        assertEquals("user", messages.get(1).path("role").asText());
        assertEquals("assistant", messages.get(2).path("role").asText());
        assertEquals("check_disk", messages.get(2).path("tool_calls").get(0).path("function").path("name").asText());
        assertEquals("call_1", messages.get(2).path("tool_calls").get(0).path("id").asText());
        assertEquals("tool", messages.get(3).path("role").asText());
        assertEquals("call_1", messages.get(3).path("tool_call_id").asText());
        assertEquals("{\"usedPercent\":97.0}", messages.get(3).path("content").asText());
        assertEquals("function", wire.path("tools").get(0).path("type").asText());
        assertEquals("object", wire.path("tools").get(0).path("function").path("parameters").path("type").asText());
    }

    @Test
    void completionWithToolCallsMapsBack() throws Exception {
        ChatCompletion completion = SDK_JSON.readValue("""
                {"id":"x","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_9","type":"function","function":{"name":"clean_logs","arguments":"{\\"olderThanDays\\":7}"}}]}}],
                 "usage":{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16}}""", ChatCompletion.class);

        ModelTurn turn = MessageMapper.fromCompletion(completion);

        assertEquals(List.of(new ToolCall("call_9", "clean_logs", "{\"olderThanDays\":7}")), turn.message().toolCalls());
        assertEquals(new Usage(11, 5), turn.usage());
        assertEquals(Role.ASSISTANT, turn.message().role());
    }

    @Test
    void finalAnswerMapsBackAndEndsTheLoop() throws Exception {
        ChatCompletion completion = SDK_JSON.readValue("""
                {"id":"x","object":"chat.completion","created":1,"model":"m",
                 "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"done"}}]}""",
                ChatCompletion.class);
        ModelTurn turn = MessageMapper.fromCompletion(completion);
        assertTrue(turn.message().isFinalAnswer());
        assertEquals("done", turn.message().content());
        assertEquals(Usage.NONE, turn.usage());
    }

    @Test
    void noChoicesIsMalformed() throws Exception {
        ChatCompletion completion = SDK_JSON.readValue(
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[]}", ChatCompletion.class);
        assertThrows(MalformedModelResponse.class, () -> MessageMapper.fromCompletion(completion));
    }
}
