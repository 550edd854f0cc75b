package dev.agentbatch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The README's first command: one run that shows the whole product on a fresh clone. It stages
 * a full log folder, lets the agent fix it as a batch job, then shows the iterations, the job
 * repository rows, and checks the disk, because the point is what really happened.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {"start the server if needed, stage a full log "
    + "folder in its workspace, let the agent fix \"" + DemoCommand.TASK + "\", then show its iterations, the job "
    + "repository and a disk check"})
final class DemoCommand extends TaskCommand {

    static final String TASK = "I'm out of disk space. Fix it.";

    @Option(names = "--timeout", paramLabel = "T", converter = Values.DurationValue.class, defaultValue = "PT10M",
            description = "how long to wait for the task (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        Context ctx = ctx();
        ApiClient api = api();
        PrintStream out = ctx.out();

        new LocalServer(ctx, api).ensureRunning();
        JsonNode health = api.health();
        String workspace = Json.text(health.path("workspace"));
        if (workspace == null) {
            throw new CliException(ExitCodes.UNREACHABLE, api.baseUrl() + "/api/health names no workspace; "
                    + "is this an agent-batch server?");
        }
        out.println("server UP at " + api.baseUrl() + ", model " + Json.text(health.path("model"), "?") + " ("
                + Json.text(health.path("modelName"), "?") + "), workspace " + workspace);

        heading("1. the problem");
        DemoWorkspace stage = new DemoWorkspace(Path.of(workspace));
        stage.fill(out);

        heading("2. the task");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", TASK);
        long id = idOf(api.submit(body, null));
        out.println("submitted task " + id + ": " + TASK);
        JsonNode task = new TaskFollower(api, ctx, out, ctx.interactive()).follow(id, timeout);
        out.println(TaskPrinter.finalLine(task));

        heading("3. what the agent did (iteration = one chunk of the batch job)");
        new TranscriptPrinter(out, 20).print(api.transcript(id));

        heading("4. the final answer");
        String result = Json.text(task.path("result"));
        String error = Json.text(task.path("error"));
        out.println(result != null ? result.strip() : "(no answer; error: " + (error == null ? "none" : error) + ")");

        heading("5. the job repository (JBeret JOB_EXECUTION / STEP_EXECUTION rows)");
        ExecutionPrinter.print(api.executions(id), out);

        heading("6. the disk, checked");
        boolean ok = stage.check(out);
        out.println(ok ? "check PASSED: the old logs are gone and current.log is still there"
                : "check FAILED: see above");

        out.println();
        out.println("task " + id + " " + Json.text(task.path("state"), "?")
                + "; explore it with: bin/agent-batch status " + id + " | transcript " + id + " | list");
        out.println("the server keeps running; stop it with: bin/agent-batch server stop");
        return ExitCodes.forState(Json.text(task.path("state")));
    }

    private void heading(String title) {
        ctx().out().println();
        ctx().out().println("== " + title + " ==");
    }
}
