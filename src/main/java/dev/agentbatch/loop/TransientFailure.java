package dev.agentbatch.loop;

/**
 * A failure worth trying again: model 429/5xx/timeouts/connection resets, or a tool error its tool marked
 * transient. Listed in agent-task.xml as the one retryable exception class.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
