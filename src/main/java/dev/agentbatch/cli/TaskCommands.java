package dev.agentbatch.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The commands about tasks. Each validates all its options before the first request, and
 * returns the exit code the contract gives the outcome.
 */
final class TaskCommands {

    private static final Set<String> STATES = Set.of("PENDING", "RESTART_PENDING", "STARTING", "RUNNING", "COMPLETED",
            "FAILED", "STOPPED");

    private final Context ctx;
    private final ApiClient api;

    TaskCommands(Context ctx, ApiClient api) {
        this.ctx = ctx;
        this.api = api;
    }

    int submit(List<String> tokens) {
        Args args = Args.parse("submit", tokens, Args.names("--wait", "--json"), Args.names("--priority",
                "--deadline", "--max-iterations", "--budget-tokens", "--tools", "--key", "--timeout"));
        if (args.positionals().isEmpty() || String.join(" ", args.positionals()).isBlank()) {
            throw CliException.usage("'submit' needs the task text: bin/agent-batch submit \"Fix the disk space\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", String.join(" ", args.positionals()));
        putIfSet(body, "priority", args.integer("--priority", 0, 9));
        putLimits(body, args);
        putIfSet(body, "tools", args.list("--tools"));
        String key = args.text("--key");
        Duration timeout = args.duration("--timeout");
        boolean wait = args.flag("--wait") || timeout != null;

        Node task = api.submit(body, key);
        long id = idOf(task);
        if (!wait) {
            ctx.out().println(args.flag("--json") ? Json.pretty(task) : String.valueOf(id));
            return ExitCodes.OK;
        }
        return followAndReport(id, timeout, args.flag("--json"));
    }

    int status(List<String> tokens) {
        Args args = Args.parse("status", tokens, Args.names("--json"), Args.names());
        Node task = api.task(args.taskId());
        if (args.flag("--json")) {
            ctx.out().println(Json.pretty(task));
        } else {
            TaskPrinter.details(task, ctx.out());
        }
        return ExitCodes.forState(task.get("state").text());
    }

    int list(List<String> tokens) {
        Args args = Args.parse("list", tokens, Args.names("--json"), Args.names("--state", "--limit"));
        args.noPositionals();
        String state = args.text("--state");
        if (state != null) {
            state = state.toUpperCase(Locale.ROOT);
            if (!STATES.contains(state)) {
                throw CliException.usage("--state must be one of PENDING, RESTART_PENDING, STARTING, RUNNING, COMPLETED, FAILED, STOPPED");
            }
        }
        Node page = api.list(state, args.integer("--limit", 1, Integer.MAX_VALUE));
        if (args.flag("--json")) {
            ctx.out().println(Json.pretty(page));
        } else {
            TaskPrinter.table(page.get("tasks").items(), ctx.out());
        }
        return ExitCodes.OK;
    }

    int transcript(List<String> tokens) {
        Args args = Args.parse("transcript", tokens, Args.names("--json"), Args.names());
        long id = args.taskId();
        Node transcript = api.transcript(id);
        Node task = api.task(id);
        if (args.flag("--json")) {
            ctx.out().println(Json.pretty(transcript));
        } else {
            ctx.out().println("transcript of task " + id + " (" + task.get("state").text("?") + ")");
            new TranscriptPrinter(ctx.out(), 0).print(transcript);
        }
        return ExitCodes.forState(task.get("state").text());
    }

    int restart(List<String> tokens) {
        Args args = Args.parse("restart", tokens, Args.names("--wait", "--json"),
                Args.names("--deadline", "--max-iterations", "--budget-tokens", "--timeout"));
        long id = args.taskId();
        Map<String, Object> body = new LinkedHashMap<>();
        putLimits(body, args);
        Duration timeout = args.duration("--timeout");
        Node task = api.restart(id, body);
        return acceptedOrFollow(args, task, id, timeout, "restart queued for");
    }

    int stop(List<String> tokens) {
        Args args = Args.parse("stop", tokens, Args.names("--wait", "--json"), Args.names("--timeout"));
        long id = args.taskId();
        Duration timeout = args.duration("--timeout");
        Node task = api.stop(id);
        return acceptedOrFollow(args, task, id, timeout, "stop requested for");
    }

    private int acceptedOrFollow(Args args, Node task, long id, Duration timeout, String verb) {
        if (args.flag("--wait") || timeout != null) {
            return followAndReport(id, timeout, args.flag("--json"));
        }
        ctx.out().println(args.flag("--json") ? Json.pretty(task)
                : verb + " task " + id + ", now " + task.get("state").text("?"));
        return ExitCodes.OK;
    }

    /** Progress goes to stderr under --json, so stdout stays one parseable document. */
    int followAndReport(long id, Duration timeout, boolean json) {
        PrintStream progress = json ? ctx.err() : ctx.out();
        Node task = new Waiter(api, progress, ctx.interactive(), ctx.pollInterval()).follow(id, timeout);
        ctx.out().println(json ? Json.pretty(task) : TaskPrinter.finalLine(task));
        return ExitCodes.forState(task.get("state").text());
    }

    private static void putLimits(Map<String, Object> body, Args args) {
        Duration deadline = args.duration("--deadline");
        putIfSet(body, "deadline", deadline == null ? null : deadline.toString());
        putIfSet(body, "maxIterations", args.integer("--max-iterations", 1, Integer.MAX_VALUE));
        putIfSet(body, "budgetTokens", args.longValue("--budget-tokens", 1, Long.MAX_VALUE));
    }

    private static void putIfSet(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }

    static long idOf(Node task) {
        Long id = task.get("id").asLong();
        if (id == null) {
            throw new CliException(ExitCodes.UNREACHABLE, "the server answered without a task id: "
                    + TaskPrinter.oneLine(task.text("(empty body)"), 200));
        }
        return id;
    }
}
