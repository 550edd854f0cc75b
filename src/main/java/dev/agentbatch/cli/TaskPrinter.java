package dev.agentbatch.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns task JSON into the lines people and log collectors read. Each summary is one line on
 * purpose, so {@code tail} and {@code grep} show a task's fate without the JSON.
 */
final class TaskPrinter {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TaskPrinter() {
    }

    /** {@code task 12 COMPLETED in 3 iterations: …} or {@code task 12 FAILED (EXIT): error}. */
    static String finalLine(JsonNode task) {
        String state = Json.text(task.path("state"), "UNKNOWN");
        String head = "task " + Json.text(task.path("id"), "?") + " " + state;
        if (state.equals("COMPLETED")) {
            long n = Json.asLong(task.path("iterations"), 0);
            return head + " in " + n + (n == 1 ? " iteration" : " iterations") + ": "
                    + oneLine(Json.text(task.path("result"), ""), 200);
        }
        String exit = Json.text(task.path("exitStatus"));
        String error = Json.text(task.path("error"));
        return head + (exit == null ? "" : " (" + exit + ")") + ": "
                + (error == null ? "no error recorded" : oneLine(error, 500));
    }

    /** The progress of a running task; elapsed is the client's own waiting time. */
    static String progressLine(JsonNode task, String elapsed) {
        StringBuilder line = new StringBuilder("task ").append(Json.text(task.path("id"), "?")).append(' ')
                .append(Json.text(task.path("state"), "UNKNOWN"));
        line.append("  iteration ").append(Json.asLong(task.path("iterations"), 0));
        Long max = Json.asLong(task.path("maxIterations"));
        if (max != null) {
            line.append(" of ").append(max);
        }
        line.append("  tokens ").append(Json.asLong(task.path("usage").path("totalTokens"), 0));
        Long budget = Json.asLong(task.path("budgetTokens"));
        if (budget != null) {
            line.append(" of ").append(budget);
        }
        line.append("  elapsed ").append(elapsed);
        if ("AWAITING_APPROVAL".equals(Json.text(task.path("state")))) {
            line.append("  ").append(awaiting(task));
        }
        return line.toString();
    }

    /** A task at the approval gate whose view names none of the calls it waits for (as read, it had none yet). */
    static boolean waitsForUnnamedCalls(JsonNode task) {
        return task != null && "AWAITING_APPROVAL".equals(Json.text(task.path("state"))) && task.path("awaiting").isEmpty();
    }

    /** What a task in AWAITING_APPROVAL waits for, in words. */
    static String awaiting(JsonNode task) {
        List<String> calls = new ArrayList<>();
        for (JsonNode a : task.path("awaiting")) {
            calls.add(Json.text(a.path("toolName"), "?") + " (" + Json.text(a.path("toolCallId"), "?") + ")");
        }
        return calls.isEmpty() ? "waiting for an approval (bin/agent-batch approvals)"
                : "waiting for approval of " + String.join(", ", calls) + " (bin/agent-batch approvals)";
    }

    static void details(JsonNode task, PrintStream out) {
        out.println(finalOrState(task));
        row(out, "input", oneLine(Json.text(task.path("input")), 300));
        row(out, "priority", Json.text(task.path("priority")));
        Long max = Json.asLong(task.path("maxIterations"));
        row(out, "iterations", Json.text(task.path("iterations"), "0") + (max == null ? "" : " of " + max));
        JsonNode usage = task.path("usage");
        if (usage.isObject()) {
            row(out, "tokens", Json.text(usage.path("totalTokens"), "0") + " (prompt "
                    + Json.text(usage.path("promptTokens"), "0") + ", completion "
                    + Json.text(usage.path("completionTokens"), "0") + ")");
        }
        String budget = Json.text(task.path("budgetTokens"));
        row(out, "budget", budget == null ? null : budget + " tokens");
        row(out, "deadline", Json.text(task.path("deadline")));
        List<String> tools = Json.items(task.path("tools")).stream().map(Json::text).toList();
        row(out, "tools", tools.isEmpty() ? null : String.join(", ", tools));
        List<String> gated = Json.items(task.path("approvalRequired")).stream().map(Json::text).toList();
        row(out, "approval for", gated.isEmpty() ? null : String.join(", ", gated)
                + (Json.text(task.path("approvalTimeout")) == null ? "" : " (times out after " + Json.text(task.path("approvalTimeout")) + ")"));
        row(out, "waiting", task.path("awaiting").isArray() && task.path("awaiting").size() > 0 ? awaiting(task) : null);
        row(out, "exit status", Json.text(task.path("exitStatus")));
        row(out, "execution", Json.text(task.path("executionId")));
        row(out, "node", Json.text(task.path("node")));
        row(out, "tool failures", Json.asLong(task.path("toolFailures"), 0) == 0 ? null
                : Json.text(task.path("toolFailures")));
        for (String when : List.of("createdAt", "startedAt", "endedAt", "updatedAt")) {
            row(out, when.replace("At", ""), time(task.get(when)));
        }
        row(out, "error", Json.text(task.path("error")));
        row(out, "result", Json.text(task.path("result")));
    }

    private static String finalOrState(JsonNode task) {
        String state = Json.text(task.path("state"), "UNKNOWN");
        return ExitCodes.isTerminal(state) ? finalLine(task) : "task " + Json.text(task.path("id"), "?") + " " + state;
    }

    private static void row(PrintStream out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.printf("  %-14s %s%n", label + ":", value.strip().replace("\n", "\n" + " ".repeat(17)));
        }
    }

    /** A table, newest first as the server sends it; the input cut so a row stays one line. */
    static void table(List<JsonNode> tasks, PrintStream out) {
        if (tasks.isEmpty()) {
            out.println("no tasks");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "PRI", "ITER", "UPDATED", "INPUT"});
        for (JsonNode t : tasks) {
            rows.add(new String[] {Json.text(t.path("id"), "?"), Json.text(t.path("state"), "?"),
                Json.text(t.path("priority"), "-"), Json.text(t.path("iterations"), "0"), time(t.path("updatedAt")),
                oneLine(Json.text(t.path("input"), ""), 60)});
        }
        int[] widths = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            out.println(String.format(Locale.ROOT, "%-" + widths[0] + "s  %-" + widths[1] + "s  %" + widths[2]
                    + "s  %" + widths[3] + "s  %-" + widths[4] + "s  %s", (Object[]) row).stripTrailing());
        }
    }

    /** ISO timestamps shown in local time to the second; anything else as the server sent it. */
    static String time(JsonNode value) {
        String text = Json.text(value);
        if (text == null) {
            return "-";
        }
        if (value.isNumber()) {
            return LOCAL.format(Instant.ofEpochMilli(value.longValue()).atZone(ZoneId.systemDefault()));
        }
        try {
            // ISO_DATE_TIME also takes the "[UTC]" suffix JSON-B gives java.util.Date
            return LOCAL.format(ZonedDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME)
                    .withZoneSameInstant(ZoneId.systemDefault()));
        } catch (DateTimeParseException notAnIsoTime) {
            return text.length() > 19 && text.charAt(10) == 'T' ? text.substring(0, 19).replace('T', ' ') : text;
        }
    }

    /** Whitespace runs (newlines included) collapsed, then the first {@code max} characters. */
    static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "...";
    }
}
