package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    void print(Node transcript) {
        Map<Long, List<Node>> byIteration = group(transcript.get("messages").items());
        if (byIteration.isEmpty()) {
            out.println("  (no messages yet)");
        }
        byIteration.forEach((iteration, messages) -> {
            out.println(iteration == 0 ? "iteration 0 (the prompt)" : "iteration " + iteration);
            messages.forEach(this::message);
        });
    }

    /** Iterations in order, messages by seq: the server's order is kept when seq is missing. */
    static Map<Long, List<Node>> group(List<Node> messages) {
        Map<Long, List<Node>> byIteration = new TreeMap<>();
        for (Node message : messages) {
            byIteration.computeIfAbsent(message.get("iteration").asLong(0), k -> new ArrayList<>()).add(message);
        }
        byIteration.values().forEach(list -> list.sort(Comparator.comparingLong(m -> m.get("seq").asLong(0))));
        return byIteration;
    }

    private void message(Node message) {
        String role = message.get("role").text("?");
        String doubt = message.get("inDoubt").isTrue() ? " [IN DOUBT: may or may not have taken effect]" : "";
        String content = message.get("content").text();
        switch (role) {
            case "tool" -> {
                String name = message.get("toolName").text("tool");
                String id = message.get("toolCallId").text();
                block("  <- " + name + (id == null ? "" : " [" + id + "]") + doubt + ":", readable(content));
            }
            case "assistant" -> {
                if ((content != null && !content.isBlank()) || !doubt.isEmpty()) {
                    block("  assistant" + doubt + ":", content);
                }
                for (Node call : message.get("toolCalls").items()) {
                    String id = call.get("id").text();
                    out.println("  -> " + call.get("name").text("?") + " " + call.get("arguments").text("{}")
                            + (id == null ? "" : "  [" + id + "]"));
                }
            }
            default -> block("  " + role + doubt + ":", content);
        }
    }

    /** Tool results are often one long JSON line: indented, they can be read at a glance. */
    static String readable(String content) {
        String trimmed = content == null ? "" : content.strip();
        if (trimmed.length() < 80 || !(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return content;
        }
        try {
            return Json.pretty(Json.parse(trimmed));
        } catch (Json.MalformedJsonException notJson) {
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
