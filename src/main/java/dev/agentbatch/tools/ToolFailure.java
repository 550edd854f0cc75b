package dev.agentbatch.tools;

/**
 * A tool call that did not succeed. Permanent failures go back to the model as the tool result (it can react);
 * transient ones are retried by the job's retry policy. A transient failure says whether the effect may have
 * happened anyway ({@link #mayHaveHappened()}: the request left and no answer came back, or a gateway gave up on
 * it): such a call is re-run marked in doubt, with the same idempotency key.
 */
public class ToolFailure extends Exception {

    private enum Kind { PERMANENT, TRANSIENT, IN_DOUBT }

    private final Kind kind;

    private ToolFailure(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = kind;
    }

    public static ToolFailure permanent(String message) {
        return new ToolFailure(message, null, Kind.PERMANENT);
    }

    public static ToolFailure permanent(String message, Throwable cause) {
        return new ToolFailure(message, cause, Kind.PERMANENT);
    }

    /** Worth retrying, and the effect did not happen (refused before it was applied: no connection, 429, 503). */
    public static ToolFailure transientFailure(String message, Throwable cause) {
        return new ToolFailure(message, cause, Kind.TRANSIENT);
    }

    /** Worth retrying, but the effect may have happened (a read timeout, a reset, a 502 or 504 after sending). */
    public static ToolFailure inDoubt(String message, Throwable cause) {
        return new ToolFailure(message, cause, Kind.IN_DOUBT);
    }

    public boolean isTransient() {
        return kind != Kind.PERMANENT;
    }

    public boolean mayHaveHappened() {
        return kind == Kind.IN_DOUBT;
    }
}
