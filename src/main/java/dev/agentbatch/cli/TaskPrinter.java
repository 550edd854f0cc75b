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

/**
 * Turns task JSON into the lines people and log collectors read. Each summary is one line on
 * purpose, so {@code tail} and {@code grep} show a task's fate without the JSON.
 */
final class TaskPrinter {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TaskPrinter() {
    }

    /** {@code task 12 COMPLETED in 3 iterations: …} or {@code task 12 FAILED (EXIT): error}. */
    static String finalLine(Node task) {
        String state = task.get("state").text("UNKNOWN");
        String head = "task " + task.get("id").text("?") + " " + state;
        if (state.equals("COMPLETED")) {
            long n = task.get("iterations").asLong(0);
            return head + " in " + n + (n == 1 ? " iteration" : " iterations") + ": "
                    + oneLine(task.get("result").text(""), 200);
        }
        String exit = task.get("exitStatus").text();
        String error = task.get("error").text();
        return head + (exit == null ? "" : " (" + exit + ")") + ": "
                + (error == null ? "no error recorded" : oneLine(error, 500));
    }

    /** The progress of a running task; elapsed is the client's own waiting time. */
    static String progressLine(Node task, String elapsed) {
        StringBuilder line = new StringBuilder("task ").append(task.get("id").text("?")).append(' ')
                .append(task.get("state").text("UNKNOWN"));
        line.append("  iteration ").append(task.get("iterations").asLong(0));
        Long max = task.get("maxIterations").asLong();
        if (max != null) {
            line.append(" of ").append(max);
        }
        line.append("  tokens ").append(task.get("usage").get("totalTokens").asLong(0));
        Long budget = task.get("budgetTokens").asLong();
        if (budget != null) {
            line.append(" of ").append(budget);
        }
        return line.append("  elapsed ").append(elapsed).toString();
    }

    static void details(Node task, PrintStream out) {
        out.println(finalOrState(task));
        row(out, "input", oneLine(task.get("input").text(), 300));
        row(out, "priority", task.get("priority").text());
        Long max = task.get("maxIterations").asLong();
        row(out, "iterations", task.get("iterations").text("0") + (max == null ? "" : " of " + max));
        Node usage = task.get("usage");
        if (!usage.isNull()) {
            row(out, "tokens", usage.get("totalTokens").text("0") + " (prompt " + usage.get("promptTokens").text("0")
                    + ", completion " + usage.get("completionTokens").text("0") + ")");
        }
        row(out, "budget", task.get("budgetTokens").isNull() ? null : task.get("budgetTokens").text() + " tokens");
        row(out, "deadline", task.get("deadline").text());
        List<String> tools = task.get("tools").items().stream().map(Node::text).toList();
        row(out, "tools", tools.isEmpty() ? null : String.join(", ", tools));
        row(out, "exit status", task.get("exitStatus").text());
        row(out, "execution", task.get("executionId").text());
        row(out, "node", task.get("node").text());
        row(out, "tool failures", task.get("toolFailures").asLong(0) == 0 ? null : task.get("toolFailures").text());
        for (String when : List.of("createdAt", "startedAt", "endedAt", "updatedAt")) {
            row(out, when.replace("At", ""), time(task.get(when)));
        }
        row(out, "error", task.get("error").text());
        row(out, "result", task.get("result").text());
    }

    private static String finalOrState(Node task) {
        String state = task.get("state").text("UNKNOWN");
        return ExitCodes.isTerminal(state) ? finalLine(task) : "task " + task.get("id").text("?") + " " + state;
    }

    private static void row(PrintStream out, String label, String value) {
        if (value != null && !value.isBlank()) {
            out.printf("  %-14s %s%n", label + ":", value.strip().replace("\n", "\n" + " ".repeat(17)));
        }
    }

    /** A table, newest first as the server sends it; the input cut so a row stays one line. */
    static void table(List<Node> tasks, PrintStream out) {
        if (tasks.isEmpty()) {
            out.println("no tasks");
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "PRI", "ITER", "UPDATED", "INPUT"});
        for (Node t : tasks) {
            rows.add(new String[] {t.get("id").text("?"), t.get("state").text("?"), t.get("priority").text("-"),
                    t.get("iterations").text("0"), time(t.get("updatedAt")), oneLine(t.get("input").text(""), 60)});
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
    static String time(Node value) {
        String text = value.text();
        if (text == null) {
            return "-";
        }
        if (value.raw() instanceof Number n) {
            return LOCAL.format(Instant.ofEpochMilli(n.longValue()).atZone(ZoneId.systemDefault()));
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
