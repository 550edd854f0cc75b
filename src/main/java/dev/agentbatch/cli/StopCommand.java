package dev.agentbatch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code stop ID [--wait] [--timeout T] [--json]}: stops at the next iteration boundary, or cancels. */
@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
        description = "stop a running task at the next iteration boundary, or cancel a pending one")
final class StopCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "ID", converter = Values.TaskId.class, description = "the task id")
    long id;

    @Mixin
    WaitOptions wait = new WaitOptions();

    @Override
    public Integer call() {
        return acceptedOrFollow(wait, api().stop(id), id, "stop requested for");
    }
}
