package dev.agentbatch.cli;

import java.io.PrintStream;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a task until it ends. On a terminal one line is rewritten in place; otherwise a new
 * line is printed only when something changed, so a CI log shows the story without the noise.
 */
final class Waiter {

    private final ApiClient api;
    private final PrintStream progress;
    private final boolean live;
    private final Duration pollInterval;

    /**
     * @param progress where progress goes: stderr when stdout must stay pure JSON
     * @param live     rewrite one line with {@code \r} (a person is watching a terminal)
     */
    Waiter(ApiClient api, PrintStream progress, boolean live, Duration pollInterval) {
        this.api = api;
        this.progress = progress;
        this.live = live;
        this.pollInterval = pollInterval;
    }

    /**
     * @param timeout null to wait for as long as it takes
     * @return the task in its terminal state
     * @throws CliException exit 5 when the timeout passes first
     */
    JsonNode follow(long id, Duration timeout) {
        long start = System.nanoTime();
        String lastChange = null;
        int lastWidth = 0;
        while (true) {
            JsonNode task = api.task(id);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String line = TaskPrinter.progressLine(task, Durations.human(elapsed));
            String change = Json.text(task.path("state")) + "/" + Json.text(task.path("iterations")) + "/"
                    + Json.text(task.path("usage").path("totalTokens"));
            if (live) {
                progress.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
                progress.flush();
                lastWidth = line.length();
            } else if (!change.equals(lastChange)) {
                progress.println(line);
            }
            lastChange = change;
            if (ExitCodes.isTerminal(Json.text(task.path("state")))) {
                endLiveLine();
                return task;
            }
            if (timeout != null && elapsed.compareTo(timeout) >= 0) {
                endLiveLine();
                throw new CliException(ExitCodes.TIMEOUT, "task " + id + " still " + Json.text(task.path("state"), "?")
                        + " after " + timeout + " (--timeout); keep following it with: bin/agent-batch status " + id);
            }
            sleep(id);
        }
    }

    private void endLiveLine() {
        if (live) {
            progress.println();
        }
    }

    private void sleep(long id) {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endLiveLine();
            throw new CliException(ExitCodes.TIMEOUT, "interrupted while waiting for task " + id
                    + "; it keeps running on the server (bin/agent-batch status " + id + ")", e);
        }
    }
}
