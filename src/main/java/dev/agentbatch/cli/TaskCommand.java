package dev.agentbatch.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * What the commands about tasks share: the root's context and API client, and how a command that may follow its
 * task ({@code --wait}) reports. Each command returns the exit code the contract gives its outcome.
 */
abstract class TaskCommand implements Callable<Integer> {

    @ParentCommand
    AgentBatchCli root;

    Context ctx() {
        return root.ctx();
    }

    ApiClient api() {
        return root.api();
    }

    /** {@code --wait}, {@code --timeout}, {@code --json} of submit, restart and stop. */
    static final class WaitOptions {

        @Option(names = "--wait", description = "follow the task to its end and exit by its final state")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "T", converter = Values.DurationValue.class,
                description = "give up waiting after T (PT30S or seconds; implies --wait; exit 5)")
        Duration timeout;

        @Option(names = "--json", description = "print the task JSON instead of the id or the summary line")
        boolean json;

        boolean waiting() {
            return wait || timeout != null;
        }
    }

    /** The limits a task may be given at submit, and new ones at restart. */
    static final class LimitOptions {

        @Option(names = "--deadline", paramLabel = "D", converter = Values.DurationValue.class,
                description = "time for the whole run, e.g. PT5M or 300 (seconds)")
        Duration deadline;

        @Option(names = "--max-iterations", paramLabel = "N", converter = Values.PositiveInt.class,
                description = "model turns allowed")
        Long maxIterations;

        @Option(names = "--budget-tokens", paramLabel = "N", converter = Values.PositiveLong.class,
                description = "tokens allowed")
        Long budgetTokens;

        void putInto(Map<String, Object> body) {
            putIfSet(body, "deadline", deadline == null ? null : deadline.toString());
            putIfSet(body, "maxIterations", maxIterations);
            putIfSet(body, "budgetTokens", budgetTokens);
        }
    }

    static void putIfSet(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    /** Without --wait: one line (or the JSON) saying what the server accepted; with it, the task's outcome. */
    int acceptedOrFollow(WaitOptions wait, JsonNode task, long id, String verb) {
        if (wait.waiting()) {
            return followAndReport(id, wait);
        }
        ctx().out().println(wait.json ? Json.pretty(task)
                : verb + " task " + id + ", now " + Json.text(task.path("state"), "?"));
        return ExitCodes.OK;
    }

    /** Progress goes to stderr under --json, so stdout stays one parseable document. */
    int followAndReport(long id, WaitOptions wait) {
        PrintStream progress = wait.json ? ctx().err() : ctx().out();
        JsonNode task = new TaskFollower(api(), ctx(), progress, ctx().interactive()).follow(id, wait.timeout);
        ctx().out().println(wait.json ? Json.pretty(task) : TaskPrinter.finalLine(task));
        return ExitCodes.forState(Json.text(task.path("state")));
    }

    static long idOf(JsonNode task) {
        Long id = Json.asLong(task.path("id"));
        if (id == null) {
            throw new CliException(ExitCodes.UNREACHABLE, "the server answered without a task id: "
                    + TaskPrinter.oneLine(Json.text(task, "(empty body)"), 200));
        }
        return id;
    }
}
