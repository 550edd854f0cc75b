package dev.agentbatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Follows a task to its end over its event stream ({@code GET /api/tasks/{id}/events}): the first event is the
 * task as it is, then one event per state change and committed iteration, and the stream ends after a terminal
 * state. After each event the task is read again ({@code GET /api/tasks/{id}}), so the progress line shows what the
 * API shows.
 *
 * <p>If the stream drops, it reconnects with {@code Last-Event-ID} (the server replays what came after), up to
 * {@value #MAX_RECONNECTS} times in a row; without an id to resume from, past that, or with a server that offers
 * no stream, it polls the task instead. Each of these is one line on stderr. While no event comes, the task is
 * read every {@code IDLE_CHECK}: a safety net for events that another node of a cluster would not forward.
 */
final class TaskFollower {

    static final int MAX_RECONNECTS = 3;
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration IDLE_CHECK = Duration.ofSeconds(15);
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final ApiClient api;
    private final PrintStream err;
    private final Duration pollInterval;
    private final ProgressPrinter progress;
    private java.util.function.Predicate<String> stopAt = state -> false;

    /** @param progress where progress goes; {@code live}: rewrite one line, a person watches a terminal */
    TaskFollower(ApiClient api, Context ctx, PrintStream progress, boolean live) {
        this.api = api;
        this.err = ctx.err();
        this.pollInterval = ctx.pollInterval();
        this.progress = new ProgressPrinter(progress, live);
    }

    /** Also returns when the task reaches one of these states (the demo stops at AWAITING_APPROVAL to approve). */
    TaskFollower until(String... states) {
        java.util.Set<String> set = java.util.Set.of(states);
        this.stopAt = set::contains;
        return this;
    }

    /**
     * @param timeout null to wait for as long as it takes
     * @return the task in its terminal state, as {@code GET /api/tasks/{id}} shows it
     * @throws CliException exit 5 when the timeout passes first
     */
    JsonNode follow(long id, Duration timeout) {
        try {
            return followEvents(id, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.endLine();
            throw new CliException(ExitCodes.TIMEOUT, "interrupted while waiting for task " + id
                    + "; it keeps running on the server (bin/agent-batch status " + id + ")", e);
        }
    }

    private JsonNode followEvents(long id, Duration timeout) throws InterruptedException {
        String lastEventId = null;
        int failures = 0;
        while (true) {
            String dropped;
            Duration answerWithin = min(OPEN_TIMEOUT, remaining(timeout, id));
            try (TaskEventStream stream = TaskEventStream.open(api, id, lastEventId, answerWithin)) {
                Duration quiet = Duration.ZERO;
                while (true) {
                    Duration wait = min(TICK, remaining(timeout, id));
                    TaskEventStream.Item item = stream.next(wait);
                    if (item instanceof TaskEventStream.Event event) {
                        lastEventId = event.id() != null ? event.id() : lastEventId;
                        failures = 0;
                        quiet = Duration.ZERO;
                        JsonNode task = taskAfter(event, id);
                        if (isOver(task)) {
                            return finished(id, task);
                        }
                    } else if (item instanceof TaskEventStream.End end) {
                        dropped = end.reason();
                        break;
                    } else {
                        progress.tick();
                        quiet = quiet.plus(wait);
                        if (TaskPrinter.waitsForUnnamedCalls(progress.last())) {
                            // shown at the approval gate without the calls it waits for: read it until they show
                            if (isOver(show(api.task(id)))) {
                                return progress.last();
                            }
                        } else if (quiet.compareTo(IDLE_CHECK) >= 0) {
                            quiet = Duration.ZERO;
                            if (isOver(show(api.task(id)))) {
                                return progress.last();
                            }
                        }
                    }
                }
            } catch (TaskEventStream.Refused e) {
                if (e.permanent()) {
                    notice("the server offers no event stream for task " + id + " (" + e.getMessage()
                            + "); following it by polling GET /api/tasks/" + id);
                    return poll(id, timeout);
                }
                dropped = "the server answered " + e.getMessage();
            } catch (IOException e) {
                dropped = Problems.describe(e);
            }
            failures++;
            if (lastEventId == null || failures > MAX_RECONNECTS) {
                notice("the event stream of task " + id + " dropped (" + dropped + ")"
                        + (lastEventId == null ? " before an event id to resume from" : " again after "
                        + MAX_RECONNECTS + " reconnects") + "; following it by polling GET /api/tasks/" + id);
                return poll(id, timeout);
            }
            notice("the event stream of task " + id + " dropped (" + dropped + "); reconnecting after event "
                    + lastEventId);
            Thread.sleep(min(Duration.ofMillis(250L << (failures - 1)), remaining(timeout, id)).toMillis());
        }
    }

    /** The first event carries the task itself; any other is a cue to read it. */
    private JsonNode taskAfter(TaskEventStream.Event event, long id) {
        if (event.name().equals("task")) {
            try {
                JsonNode task = Json.parse(event.data());
                if (task.isObject() && Json.asLong(task.path("id")) != null) {
                    return show(task);
                }
            } catch (JsonProcessingException notATask) {
                // read it from the API instead
            }
        }
        return show(api.task(id));
    }

    /** The task the stream gave may be a snapshot: the outcome printed is the API's. */
    private JsonNode finished(long id, JsonNode seen) {
        JsonNode task = api.task(id);
        if (!isOver(task)) {
            task = seen;
        }
        progress.endLine();
        return task;
    }

    private JsonNode poll(long id, Duration timeout) throws InterruptedException {
        while (true) {
            JsonNode task = show(api.task(id));
            if (isOver(task)) {
                progress.endLine();
                return task;
            }
            Thread.sleep(min(pollInterval, remaining(timeout, id)).toMillis());
        }
    }

    private JsonNode show(JsonNode task) {
        progress.show(task);
        return task;
    }

    private boolean isOver(JsonNode task) {
        String state = Json.text(task.path("state"));
        return ExitCodes.isTerminal(state) || stopAt.test(state);
    }

    /** What is left of {@code --timeout}; exit 5 once nothing is. */
    private Duration remaining(Duration timeout, long id) {
        if (timeout == null) {
            return Duration.ofDays(365);
        }
        Duration left = timeout.minus(progress.elapsed());
        if (left.isNegative() || left.isZero()) {
            progress.endLine();
            JsonNode last = progress.last();
            String state = last == null ? "not finished" : Json.text(last.path("state"), "?");
            throw new CliException(ExitCodes.TIMEOUT, "task " + id + " still " + state + " after " + timeout
                    + " (--timeout); keep following it with: bin/agent-batch status " + id);
        }
        return left;
    }

    private void notice(String line) {
        progress.endLine();
        err.println("agent-batch: " + line);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
