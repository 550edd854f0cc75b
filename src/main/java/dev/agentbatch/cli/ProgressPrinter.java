package dev.agentbatch.cli;

import java.io.PrintStream;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The progress of a followed task. On a terminal one line is rewritten in place (and its elapsed time keeps
 * counting); otherwise a new line is printed only when the state, the iteration or the token count changed, so a
 * CI log tells the story without the noise.
 */
final class ProgressPrinter {

    private final PrintStream out;
    private final boolean live;
    private final long startNanos = System.nanoTime();
    private JsonNode last;
    private String lastChange;
    private int lastWidth;

    /**
     * @param out  where progress goes: stderr when stdout must stay pure JSON
     * @param live rewrite one line with {@code \r} (a person is watching a terminal)
     */
    ProgressPrinter(PrintStream out, boolean live) {
        this.out = out;
        this.live = live;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The task as last shown; null before the first. */
    JsonNode last() {
        return last;
    }

    void show(JsonNode task) {
        last = task;
        String change = Json.text(task.path("state")) + "/" + Json.text(task.path("iterations")) + "/"
                + Json.text(task.path("usage").path("totalTokens")) + "/" + task.path("awaiting").size();
        if (live) {
            rewrite();
        } else if (!change.equals(lastChange)) {
            out.println(TaskPrinter.progressLine(task, Durations.human(elapsed())));
        }
        lastChange = change;
    }

    /** On a terminal, the elapsed time moves on between events. */
    void tick() {
        if (live && last != null) {
            rewrite();
        }
    }

    /** Ends the live line, so what is printed next (the outcome, a notice on stderr) starts on a line of its own. */
    void endLine() {
        if (live && lastWidth > 0) {
            out.println();
            lastWidth = 0;
        }
    }

    private void rewrite() {
        String line = TaskPrinter.progressLine(last, Durations.human(elapsed()));
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }
}
