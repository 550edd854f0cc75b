package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Prints a transcript the way the agent lived it: one block per iteration (one chunk of the
 * batch job), the model's tool calls with their arguments, then each tool's answer. A tool
 * result flagged in doubt is marked, because after a crash nobody knows whether it took effect.
 */
final class TranscriptPrinter {

    private static final String INDENT = "      ";

    private final PrintStream out;
    private final int maxLines;

    /** @param maxLines lines of each message shown before eliding the rest; 0 shows everything */
    TranscriptPrinter(PrintStream out, int maxLines) {
        this.out = out;
        this.maxLines = maxLines;
    }

    void print(JsonNode transcript) {
        Map<Long, List<JsonNode>> byIteration = group(Json.items(transcript.path("messages")));
        if (byIteration.isEmpty()) {
            out.println("  (no messages yet)");
        }
        byIteration.forEach((iteration, messages) -> {
            out.println(iteration == 0 ? "iteration 0 (the prompt)" : "iteration " + iteration);
            messages.forEach(this::message);
        });
    }

    /** Iterations in order, messages by seq: the server's order is kept when seq is missing. */
    static Map<Long, List<JsonNode>> group(List<JsonNode> messages) {
        Map<Long, List<JsonNode>> byIteration = new TreeMap<>();
        for (JsonNode message : messages) {
            byIteration.computeIfAbsent(Json.asLong(message.path("iteration"), 0), k -> new ArrayList<>()).add(message);
        }
        byIteration.values().forEach(list -> list.sort(Comparator.comparingLong(m -> Json.asLong(m.path("seq"), 0))));
        return byIteration;
    }

    private void message(JsonNode message) {
        String role = Json.text(message.path("role"), "?");
        String doubt = Json.isTrue(message.path("inDoubt")) ? " [IN DOUBT: may or may not have taken effect]" : "";
        String content = Json.text(message.path("content"));
        switch (role) {
            case "tool" -> {
                String name = Json.text(message.path("toolName"), "tool");
                String id = Json.text(message.path("toolCallId"));
                block("  <- " + name + (id == null ? "" : " [" + id + "]") + doubt + decision(message.path("decision")) + ":",
                        readable(content));
            }
            case "assistant" -> {
                if ((content != null && !content.isBlank()) || !doubt.isEmpty()) {
                    block("  assistant" + doubt + ":", content);
                }
                for (JsonNode call : Json.items(message.path("toolCalls"))) {
                    String id = Json.text(call.path("id"));
                    out.println("  -> " + Json.text(call.path("name"), "?") + " "
                            + Json.text(call.path("arguments"), "{}")
                            + (id == null ? "" : "  [" + id + "]"));
                }
            }
            default -> block("  " + role + doubt + ":", content);
        }
    }

    /** A gated call's decision: who, when, why. */
    static String decision(JsonNode decision) {
        if (!decision.isObject()) {
            return "";
        }
        String reason = Json.text(decision.path("reason"));
        return " [" + Json.text(decision.path("outcome"), "?") + " by " + Json.text(decision.path("decidedBy"), "?")
                + " at " + TaskPrinter.time(decision.path("decidedAt")) + (reason == null ? "" : ": " + reason) + "]";
    }

    /** Tool results are often one long JSON line: indented, they can be read at a glance. */
    static String readable(String content) {
        String trimmed = content == null ? "" : content.strip();
        if (trimmed.length() < 80 || !(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return content;
        }
        try {
            return Json.pretty(Json.parse(trimmed));
        } catch (JsonProcessingException notJson) {
            return content; // plain text that merely starts with a bracket: shown as the tool wrote it
        }
    }

    /** Short content stays on the label's line; longer content goes below it, indented. */
    private void block(String label, String content) {
        if (content == null || content.isBlank()) {
            out.println(label + " (empty)");
            return;
        }
        List<String> lines = content.strip().lines().toList();
        if (lines.size() == 1 && label.length() + lines.get(0).length() < 120) {
            out.println(label + " " + lines.get(0));
            return;
        }
        out.println(label);
        int shown = maxLines > 0 ? Math.min(maxLines, lines.size()) : lines.size();
        for (int i = 0; i < shown; i++) {
            out.println(INDENT + lines.get(i));
        }
        if (shown < lines.size()) {
            out.println(INDENT + "... (" + (lines.size() - shown) + " more lines; see: bin/agent-batch transcript ID)");
        }
    }
}
