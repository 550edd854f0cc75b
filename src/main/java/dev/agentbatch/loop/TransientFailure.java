package dev.agentbatch.loop;

/**
 * A failure worth trying again: model 429/5xx/timeouts/connection resets, or a tool error its tool marked
 * transient. Listed in agent-task.xml as the one retryable exception class.
 */
public class TransientFailure extends RuntimeException {

    private final transient java.time.Duration retryAfter;
    private final boolean databaseUnavailable;

    public TransientFailure(String message, Throwable cause) {
        this(message, cause, null);
    }

    public TransientFailure(String message, Throwable cause, java.time.Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.databaseUnavailable = false;
    }

    private TransientFailure(String message, boolean databaseUnavailable) {
        super(message, null);
        this.retryAfter = null;
        this.databaseUnavailable = databaseUnavailable;
    }

    /** A write the iteration needs could not reach the database: retried, and, when retrying did not help, resumed later. */
    public static TransientFailure databaseUnavailable(String message) {
        return new TransientFailure(message, true);
    }

    public boolean databaseUnavailable() {
        return databaseUnavailable;
    }

    /** How long the server asked us to wait ({@code Retry-After}), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
