package dev.agentbatch.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code restart ID [limits] [--wait] [--timeout T] [--json]}: queues a restart from the checkpoint. */
@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = "queue a restart of a FAILED or STOPPED task (RESTART_PENDING); it resumes from its checkpoint "
                + "when its turn comes")
final class RestartCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "ID", converter = Values.TaskId.class, description = "the task id")
    long id;

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Mixin
    WaitOptions wait = new WaitOptions();

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        limits.putInto(body);
        return acceptedOrFollow(wait, api().restart(id, body), id, "restart queued for");
    }
}
