package dev.agentbatch.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
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

    @Option(names = "--approval", description = "gate clean_logs: the task waits for an approval, and the demo approves"
            + " it as a second local user (" + LocalUser.APPROVER + "; four eyes: the one who submitted it may not)")
    boolean approval;

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
        if (approval) {
            body.put("approvalRequired", List.of("clean_logs"));
        }
        long id = idOf(api.submit(body, null));
        out.println("submitted task " + id + ": " + TASK + (approval ? " (clean_logs needs an approval)" : ""));
        JsonNode task;
        if (approval) {
            task = new TaskFollower(api, ctx, out, ctx.interactive()).until("AWAITING_APPROVAL").follow(id, timeout);
            if ("AWAITING_APPROVAL".equals(Json.text(task.path("state")))) {
                approve(api, id);
            }
        }
        task = new TaskFollower(api, ctx, out, ctx.interactive()).follow(id, timeout);
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

    /**
     * The gated cleanup waits with its job STOPPED; the second local user approves it, and the task goes back to the
     * queue. Four eyes holds: the demo's own user submitted the task, so it may not approve it.
     */
    private void approve(ApiClient api, long id) {
        PrintStream out = ctx().out();
        heading("2b. the approval gate");
        List<JsonNode> waiting = Json.items(api.approvals().path("approvals")).stream()
                .filter(a -> Json.asLong(a.path("taskId")) == id).toList();
        out.println("the model asked for a gated call; the job stopped at the iteration boundary (STOPPED,"
                + " AWAITING_APPROVAL) and holds no thread while it waits:");
        ApprovalsCommand.table(waiting, out);
        Credentials approver = Credentials.localApprover(ctx()).orElseThrow(() -> CliException.usage(
                "demo --approval needs the second local user " + LocalUser.APPROVER + ", made with the first one when"
                        + " the client first started the server; this server's credentials file has none: add it with"
                        + " target/server/bin/add-user.sh -a -u " + LocalUser.APPROVER + " -g agent-viewer,agent-approver"
                        + " and set AGENT_BATCH_USER/AGENT_BATCH_PASSWORD to approve with bin/agent-batch approve"));
        ApiClient asApprover = api.as(approver);
        for (JsonNode a : waiting) {
            String call = Json.text(a.path("toolCallId"));
            JsonNode decided = asApprover.decide(id, call, "approve", "demo: old logs may go");
            out.println("approved " + Json.text(decided.path("toolName"), "?") + " (" + call + ") as "
                    + Json.text(decided.path("decidedBy"), "?") + " (four eyes: the user who submitted the task,"
                    + " " + LocalUser.NAME + ", may not approve it)" + (decided.path("resumed").asBoolean()
                    ? "; the task is back in the queue" : ""));
        }
        out.println();
    }

    private void heading(String title) {
        ctx().out().println();
        ctx().out().println("== " + title + " ==");
    }
}
