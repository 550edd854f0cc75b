package dev.agentbatch.loop;

import java.util.logging.Logger;

import dev.agentbatch.task.ExitStatus;

import jakarta.batch.api.listener.AbstractStepListener;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Turns the exception that ended the agent loop into the exit status operators read in JOB_EXECUTION and
 * STEP_EXECUTION ({@code ITERATION_LIMIT}, {@code RETRIES_EXHAUSTED}, {@code MODEL_ERROR} …), and hands
 * the message on to the task.
 */
@Named("stepFailureListener")
@Dependent
public class StepFailureListener extends AbstractStepListener {

    private static final Logger LOG = Logger.getLogger(StepFailureListener.class.getName());

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;

    @Override
    public void afterStep() {
        Exception e = stepContext.getException();
        if (e == null) {
            return;
        }
        FailureInfo failure = describe(e);
        stepContext.setExitStatus(failure.exitStatus());
        jobContext.setExitStatus(failure.exitStatus());
        jobContext.setTransientUserData(failure);
        LOG.warning(() -> LogPrefix.of(jobContext) + "agent loop failed: "
                + failure.exitStatus() + ": " + failure.message());
    }

    static FailureInfo describe(Throwable e) {
        if (DatabaseFailures.isUnavailable(e)) {
            return new FailureInfo(ExitStatus.DATABASE_UNAVAILABLE, "the database could not be reached: "
                    + FailureClassifier.describe(e) + "; the task resumes from its last committed iteration when it is back");
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AgentFailure af && ExitStatus.RETRIES_EXHAUSTED.equals(af.exitStatus())
                    && af.getCause() instanceof TransientFailure tf && tf.databaseUnavailable()) {
                return new FailureInfo(ExitStatus.DATABASE_UNAVAILABLE, af.getMessage());
            }
            if (t instanceof AgentFailure af) {
                return new FailureInfo(af.exitStatus(), af.getMessage());
            }
            if (t instanceof TransientFailure tf) {
                // a retryable failure only reaches the step when JBeret's own retry-limit (the execution's budget) is spent
                return new FailureInfo(ExitStatus.RETRY_BUDGET_EXHAUSTED, "the execution used its whole retry budget"
                        + " (job parameter retryBudget); last error: " + tf.getMessage());
            }
        }
        return new FailureInfo(ExitStatus.FAILED, FailureClassifier.describe(e));
    }
}
