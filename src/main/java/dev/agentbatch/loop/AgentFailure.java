package dev.agentbatch.loop;

/**
 * A failure that ends the task at once, with the exit status operators see in JOB_EXECUTION.EXITSTATUS and in the
 * task's {@code error} (one of {@link dev.agentbatch.task.ExitStatus}): a spent limit, a permanent model error, an
 * iteration out of retries, a fenced (stale) execution. Never listed as retryable or skippable in agent-task.xml.
 */
public class AgentFailure extends RuntimeException {

    private final String exitStatus;

    public AgentFailure(String exitStatus, String message) {
        this(exitStatus, message, null);
    }

    public AgentFailure(String exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    public String exitStatus() {
        return exitStatus;
    }
}
