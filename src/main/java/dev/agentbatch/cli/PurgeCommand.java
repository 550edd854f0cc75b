package dev.agentbatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code purge [--older-than-days N] [--timeout T]}: starts one run of the retention job {@code agent-purge}
 * on the server and follows it to its end (it is a batch job: it also shows in the console and JOB_EXECUTION).
 */
final class PurgeCommand {

    private final Context ctx;
    private final ApiClient api;

    PurgeCommand(Context ctx, ApiClient api) {
        this.ctx = ctx;
        this.api = api;
    }

    int run(List<String> rest) {
        Args args = Args.parse("purge", rest, Args.names(), Args.names("--older-than-days", "--timeout"));
        Map<String, Object> body = new LinkedHashMap<>();
        Integer days = args.integer("--older-than-days", 0, 36_500);
        if (days != null) {
            body.put("retentionDays", days);
        }
        Duration timeout = args.has("--timeout") ? args.duration("--timeout") : Duration.ofMinutes(10);
        long exec = api.purge(body).get("executionId").asLong(-1);
        ctx.out().println("purge started: job agent-purge, execution " + exec);
        Instant end = Instant.now().plus(timeout);
        while (true) {
            Node execution = api.jobExecution(exec);
            String status = execution.get("batchStatus").text("UNKNOWN");
            if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
                ctx.out().println("purge " + status + ": " + execution.get("exitStatus").text(""));
                return status.equals("COMPLETED") ? ExitCodes.OK : ExitCodes.FAILED;
            }
            if (Instant.now().isAfter(end)) {
                throw new CliException(ExitCodes.TIMEOUT, "purge execution " + exec + " still " + status + " after " + timeout);
            }
            try {
                Thread.sleep(ctx.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.UNREACHABLE, "interrupted", e);
            }
        }
    }
}
