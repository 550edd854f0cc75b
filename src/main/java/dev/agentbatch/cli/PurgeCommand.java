package dev.agentbatch.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code purge [--older-than-days N] [--timeout T]}: starts one run of the retention job {@code agent-purge}
 * on the server and follows it to its end (it is a batch job: it also shows in the console and JOB_EXECUTION).
 */
@Command(name = "purge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "run the retention job agent-purge now: finished tasks older than N days and their job "
                + "repository rows")
final class PurgeCommand extends TaskCommand {

    @Option(names = "--older-than-days", paramLabel = "N", converter = Values.RetentionDays.class,
            description = "retention in days (default: the server's AGENT_BATCH_RETENTION_DAYS, 30)")
    Long days;

    @Option(names = "--timeout", paramLabel = "T", converter = Values.DurationValue.class, defaultValue = "PT10M",
            description = "how long to wait for the job (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() {
        Context ctx = ctx();
        ApiClient api = api();
        Map<String, Object> body = new LinkedHashMap<>();
        putIfSet(body, "retentionDays", days);
        long exec = Json.asLong(api.purge(body).path("executionId"), -1);
        ctx.out().println("purge started: job agent-purge, execution " + exec);
        Instant end = Instant.now().plus(timeout);
        while (true) {
            JsonNode execution = api.jobExecution(exec);
            String status = Json.text(execution.path("batchStatus"), "UNKNOWN");
            if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
                ctx.out().println("purge " + status + ": " + Json.text(execution.path("exitStatus"), ""));
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
