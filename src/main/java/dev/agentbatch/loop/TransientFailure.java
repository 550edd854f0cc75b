package dev.agentbatch.loop;

/**
 * A failure worth trying again: model 429/5xx/timeouts/connection resets, or a tool error its tool marked
 * transient. Listed in agent-task.xml as the one retryable exception class.
 */
public class TransientFailure extends RuntimeException {

    private final transient java.time.Duration retryAfter;

    public TransientFailure(String message, Throwable cause) {
        this(message, cause, null);
    }

    public TransientFailure(String message, Throwable cause, java.time.Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked us to wait ({@code Retry-After}), or null. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }
}
