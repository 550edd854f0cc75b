package dev.agentbatch.tools;

/**
 * A tool call that did not succeed. Permanent failures go back to the model as the tool result
 * (it can react); transient ones are retried by the job's retry policy.
 */
public class ToolFailure extends Exception {

    private final boolean transientFailure;

    private ToolFailure(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public static ToolFailure permanent(String message) {
        return new ToolFailure(message, null, false);
    }

    public static ToolFailure permanent(String message, Throwable cause) {
        return new ToolFailure(message, cause, false);
    }

    public static ToolFailure transientFailure(String message, Throwable cause) {
        return new ToolFailure(message, cause, true);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
