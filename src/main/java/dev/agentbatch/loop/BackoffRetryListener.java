package dev.agentbatch.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.listener.RetryProcessListener;
import jakarta.batch.api.chunk.listener.RetryReadListener;
import jakarta.batch.api.chunk.listener.RetryWriteListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Plans the pause before a retry of the chunk, but does not take it: JBeret 3.1 calls retry listeners
 * <em>before</em> it rolls the failed chunk back, so a sleep here would hold the chunk's transaction (and its
 * database connection) open and run against its timeout. The plan goes to the step's transient data and
 * {@link AgentTurnReader#close()} sleeps it, after the rollback and before the retry's new transaction.
 */
@Named("backoffRetryListener")
@Dependent
public class BackoffRetryListener implements RetryReadListener, RetryProcessListener, RetryWriteListener {

    private static final Logger LOG = Logger.getLogger(BackoffRetryListener.class.getName());

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;
    @Inject
    dev.agentbatch.ops.AgentMetrics metrics;

    @Inject
    @BatchProperty
    String baseMs;
    @Inject
    @BatchProperty
    String factor;
    @Inject
    @BatchProperty
    String capMs;
    @Inject
    @BatchProperty
    String jitter;

    /** A pause to take before the next attempt. */
    record Pending(int retry, Duration delay, String cause) {
    }

    @Override
    public void onRetryReadException(Exception ex) {
        plan(ex);
    }

    @Override
    public void onRetryProcessException(Object item, Exception ex) {
        plan(ex);
    }

    @Override
    public void onRetryWriteException(List<Object> items, Exception ex) {
        plan(ex);
    }

    private void plan(Exception ex) {
        metrics.retry();
        int retry = stepContext.getTransientUserData() instanceof RetryCount c ? c.next() : 1;
        Duration retryAfter = ex instanceof TransientFailure tf ? tf.retryAfter() : null;
        Duration delay = Backoff.of(baseMs, factor, capMs, jitter)
                .delay(retry, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
        stepContext.setTransientUserData(new RetryCount(retry, new Pending(retry, delay, ex.getMessage()), Instant.now()));
        LOG.info(() -> LogPrefix.of(jobContext) + "retry " + retry + " of the iteration in "
                + delay.toMillis() + " ms" + (retryAfter != null ? " (Retry-After " + retryAfter.toMillis() + " ms)" : "")
                + ": " + ex.getMessage());
    }

    /** The retries of the current chunk, and the pause the next one still has to take (null once taken). */
    record RetryCount(int count, Pending pending, Instant at) {
        int next() {
            return count + 1;
        }

        RetryCount taken() {
            return new RetryCount(count, null, at);
        }
    }
}
