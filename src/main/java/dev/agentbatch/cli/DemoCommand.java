package dev.agentbatch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's first command: one run that shows the whole product on a fresh clone. It stages
 * a full log folder, lets the agent fix it as a batch job, then shows the iterations, the job
 * repository rows, and checks the disk, because the point is what really happened.
 */
final class DemoCommand {

    static final String TASK = "I'm out of disk space. Fix it.";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private final Context ctx;
    private final ApiClient api;

    DemoCommand(Context ctx, ApiClient api) {
        this.ctx = ctx;
        this.api = api;
    }

    int run(List<String> tokens) {
        Args args = Args.parse("demo", tokens, Args.names(), Args.names("--timeout"));
        args.noPositionals();
        Duration timeout = args.has("--timeout") ? args.duration("--timeout") : DEFAULT_TIMEOUT;
        PrintStream out = ctx.out();

        new ServerControl(ctx, api).ensureRunning();
        Node health = api.health();
        String workspace = health.get("workspace").text();
        if (workspace == null) {
            throw new CliException(ExitCodes.UNREACHABLE, api.baseUrl() + "/api/health names no workspace; "
                    + "is this an agent-batch server?");
        }
        out.println("server UP at " + api.baseUrl() + ", model " + health.get("model").text("?") + " ("
                + health.get("modelName").text("?") + "), workspace " + workspace);

        heading("1. the problem");
        DemoWorkspace stage = new DemoWorkspace(Path.of(workspace));
        stage.fill(out);

        heading("2. the task");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", TASK);
        long id = TaskCommands.idOf(api.submit(body, null));
        out.println("submitted task " + id + ": " + TASK);
        Node task = new Waiter(api, out, ctx.interactive(), ctx.pollInterval()).follow(id, timeout);
        out.println(TaskPrinter.finalLine(task));

        heading("3. what the agent did (iteration = one chunk of the batch job)");
        new TranscriptPrinter(out, 20).print(api.transcript(id));

        heading("4. the final answer");
        String result = task.get("result").text();
        String error = task.get("error").text();
        out.println(result != null ? result.strip() : "(no answer; error: " + (error == null ? "none" : error) + ")");

        heading("5. the job repository (JBeret JOB_EXECUTION / STEP_EXECUTION rows)");
        ExecutionPrinter.print(api.executions(id), out);

        heading("6. the disk, checked");
        boolean ok = stage.check(out);
        out.println(ok ? "check PASSED: the old logs are gone and current.log is still there"
                : "check FAILED: see above");

        out.println();
        out.println("task " + id + " " + task.get("state").text("?") + "; explore it with: bin/agent-batch status "
                + id + " | transcript " + id + " | list");
        out.println("the server keeps running; stop it with: bin/agent-batch server stop");
        return ExitCodes.forState(task.get("state").text());
    }

    private void heading(String title) {
        ctx.out().println();
        ctx.out().println("== " + title + " ==");
    }
}
