package dev.agentbatch.loop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import dev.agentbatch.ops.AgentMetrics;
import dev.agentbatch.task.TaskStore;
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
 * Counts the retries of the iteration in flight against {@code retryLimit} (per iteration: see
 * {@link IterationAttempts}) and plans the pause before the next attempt, but does not take it: JBeret 3.1 calls
 * retry listeners <em>before</em> it rolls the failed chunk back, so a sleep here would hold the chunk's transaction
 * (and its database connection) open and run against its timeout; {@link AgentTurnReader#close()} sleeps after the
 * rollback. Nor does it throw when the iteration is out of retries (a throw here would still be inside JBeret's
 * retry path): it marks the iteration exhausted and the reader fails the task on the next attempt, before calling
 * anyone. Every retry is recorded in AGENT_RETRY, with its planned pause.
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
    AgentMetrics metrics;
    @Inject
    TaskStore tasks;

    @Inject
    @BatchProperty
    String taskId;
    @Inject
    @BatchProperty
    String retryLimit;
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
        IterationAttempts attempts = IterationAttempts.current(stepContext);
        if (attempts == null) {
            return; // a failure before the first read: nothing to count against an iteration
        }
        int retry = attempts.retries() + 1;
        int limit = Integer.parseInt(retryLimit.trim());
        String prefix = "[task " + taskId + " exec " + jobContext.getExecutionId() + "] ";
        Duration delay = null;
        if (retry > limit) {
            attempts.exhausted(ex);
            LOG.warning(() -> prefix + "iteration " + attempts.iteration() + " failed " + retry + " times, more than its "
                    + limit + " retries (retryLimit): " + ex.getMessage());
        } else {
            metrics.retry();
            Duration retryAfter = ex instanceof TransientFailure tf ? tf.retryAfter() : null;
            delay = Backoff.of(baseMs, factor, capMs, jitter)
                    .delay(retry, retryAfter, () -> ThreadLocalRandom.current().nextDouble());
            attempts.retryAfter(delay);
            Duration planned = delay;
            LOG.info(() -> prefix + "retry " + retry + " of " + limit + " of iteration " + attempts.iteration() + " in "
                    + planned.toMillis() + " ms" + (retryAfter != null ? " (Retry-After " + retryAfter.toMillis() + " ms)" : "")
                    + ": " + ex.getMessage());
        }
        tasks.recordRetry(Long.parseLong(taskId), attempts.iteration(), retry, delay, ex.getMessage(),
                jobContext.getExecutionId());
    }
}
