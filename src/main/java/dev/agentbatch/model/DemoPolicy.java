package dev.agentbatch.model;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.Json;

/**
 * The offline demo model's deterministic policy for the seed task: check the disk, clean the old logs,
 * then answer with what the tools said. It says in every answer that it is the demo model.
 * Pure: it reads an OpenAI chat-completions request body and decides the next assistant message.
 */
public final class DemoPolicy {

    static final String TAG = "[offline demo model] ";

    private DemoPolicy() {
    }

    public static ChatMessage decide(JsonNode request) {
        List<String> tools = request.path("tools").findValuesAsText("name");
        JsonNode messages = request.path("messages");
        int assistantTurns = 0;
        String lastToolName = null;
        String lastToolResult = null;
        String checkDiskResult = null;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (role.equals("assistant")) {
                assistantTurns++;
                for (JsonNode call : m.path("tool_calls")) {
                    lastToolName = call.path("function").path("name").asText();
                }
            } else if (role.equals("tool")) {
                lastToolResult = m.path("content").asText();
                if ("check_disk".equals(lastToolName)) {
                    checkDiskResult = lastToolResult;
                }
            }
        }
        String callId = "call_demo_" + (assistantTurns + 1);
        if (assistantTurns == 0 && tools.contains("check_disk")) {
            return ChatMessage.assistant(TAG + "Let me look at the disk first.",
                    List.of(new ToolCall(callId, "check_disk", "{}")));
        }
        if ("check_disk".equals(lastToolName) && tools.contains("clean_logs")) {
            return ChatMessage.assistant(TAG + "Old log files are the usual culprit; removing logs older than 7 days.",
                    List.of(new ToolCall(callId, "clean_logs", "{\"olderThanDays\":7}")));
        }
        if (lastToolName == null) {
            return ChatMessage.assistant(TAG + "I have no disk tools available for this task, so I cannot act. "
                    + "Allow check_disk and clean_logs to let me fix it.", List.of());
        }
        JsonNode cleaned = "clean_logs".equals(lastToolName) ? parse(lastToolResult) : parse(null);
        StringBuilder answer = new StringBuilder(TAG).append(cleaned.path("denied").asBoolean() ? "" : "Done. ");
        JsonNode disk = parse(checkDiskResult);
        if (disk.has("usedPercent")) {
            answer.append("The disk holding the workspace was ").append(disk.path("usedPercent").asText())
                    .append("% used (").append(megabytes(disk.path("freeBytes").asLong())).append(" free). ");
        }
        if (cleaned.path("denied").asBoolean()) {
            answer.append("I did not delete anything: removing the old logs was denied by ")
                    .append(cleaned.path("decidedBy").asText()).append(" (reason: ").append(cleaned.path("reason").asText())
                    .append("). The disk is still as full as it was; free space another way, or ask for the cleanup"
                            + " to be approved.");
        } else if (cleaned.has("deletedFiles")) {
            answer.append("I deleted ").append(cleaned.path("deletedFiles").asInt()).append(" log file(s) older than ")
                    .append(cleaned.path("olderThanDays").asInt()).append(" days, freeing ")
                    .append(megabytes(cleaned.path("bytesFreed").asLong()))
                    .append("; newer logs were kept.");
        } else {
            answer.append("The last tool (").append(lastToolName).append(") said: ").append(lastToolResult);
        }
        return ChatMessage.assistant(answer.toString(), List.of());
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : Json.parse(json);
        } catch (java.io.IOException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_048_576.0);
    }
}
