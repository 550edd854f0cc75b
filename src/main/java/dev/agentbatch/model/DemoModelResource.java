package dev.agentbatch.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.Json;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The built-in offline demo model, served as an OpenAI-compatible chat-completions endpoint so that
 * openai-java is on the path in the demo exactly as in production. Used only when no OPENAI_API_KEY is set. It needs
 * no login, and answers only on loopback.
 */
@Path("/demo-model/v1/chat/completions")
@PermitAll
public class DemoModelResource {

    @Context
    HttpServletRequest http;

    /** Loopback only: it is the server talking to itself, not an endpoint of the API. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response complete(String body) {
        if (!isLoopback(http.getRemoteAddr())) {
            return Response.status(404).build();
        }
        JsonNode request;
        try {
            request = Json.parse(body);
        } catch (JsonProcessingException e) {
            return Response.status(400).entity(Json.write(Map.of("error",
                    Map.of("message", "request body is not JSON: " + e.getOriginalMessage(), "type", "invalid_request_error"))))
                    .build();
        }
        ChatMessage reply = DemoPolicy.decide(request);
        return Response.ok(Json.write(completion(reply, request))).build();
    }

    static boolean isLoopback(String address) {
        try {
            return address != null && java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static Map<String, Object> completion(ChatMessage reply, JsonNode request) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", reply.content());
        if (!reply.toolCalls().isEmpty()) {
            List<Map<String, Object>> calls = new ArrayList<>();
            for (ToolCall call : reply.toolCalls()) {
                calls.add(Map.of("id", call.id(), "type", "function",
                        "function", Map.of("name", call.name(), "arguments", call.arguments())));
            }
            message.put("tool_calls", calls);
        }
        long prompt = request.path("messages").toString().length() / 4;
        long completion = (reply.content() == null ? 0 : reply.content().length() / 4) + 10;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "chatcmpl-demo-" + UUID.randomUUID());
        body.put("object", "chat.completion");
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", request.path("model").asText("offline-demo"));
        body.put("choices", List.of(Map.of("index", 0, "message", message,
                "finish_reason", reply.toolCalls().isEmpty() ? "stop" : "tool_calls")));
        body.put("usage", Map.of("prompt_tokens", prompt, "completion_tokens", completion,
                "total_tokens", prompt + completion));
        return body;
    }
}
