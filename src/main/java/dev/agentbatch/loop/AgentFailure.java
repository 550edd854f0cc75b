package dev.agentbatch.loop;

/**
 * A failure that ends the task at once, with the exit status operators see in JOB_EXECUTION.EXITSTATUS and
 * in the task's {@code error}: a spent limit, a permanent model error, a fenced (stale) execution.
 */
public class AgentFailure extends RuntimeException {

    public static final String ITERATION_LIMIT = "ITERATION_LIMIT";
    public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";
    public static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";
    public static final String MODEL_ERROR = "MODEL_ERROR";
    public static final String FENCED = "FENCED";
    public static final String TOOL_FAILURES = "TOOL_FAILURES";

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
