package dev.agentbatch.loop;

import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.ops.FaultInjection;
import dev.agentbatch.queue.LiveExecutions;
import dev.agentbatch.queue.TaskDispatcher;
import dev.agentbatch.task.ExecutionOutcome;
import dev.agentbatch.task.TaskStore;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Keeps AGENT_TASK true whoever started the job: our dispatcher, recovery, jboss-cli's {@code restart-job} or the
 * console's Restart button. Every execution takes ownership under a new epoch when it begins and records the outcome
 * when it ends, as {@link ExecutionOutcome} reads the batch and exit status. Recording the end must never fail the
 * job (JBeret would turn a COMPLETED execution FAILED): when it cannot be written, the stranded-task sweep of
 * {@link dev.agentbatch.queue.CrashRecovery} settles the task from the job repository.
 */
@Named("taskStateListener")
@Dependent
public class TaskStateListener extends AbstractJobListener {

    private static final Logger LOG = Logger.getLogger(TaskStateListener.class.getName());

    @Inject
    JobContext jobContext;
    @Inject
    TaskStore tasks;
    @Inject
    AgentBatchConfig config;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    LiveExecutions live;
    @Inject
    FaultInjection faults;

    @Inject
    @BatchProperty
    String taskId;

    @Override
    public void beforeJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        live.begin(exec);
        faults.hold(FaultInjection.SLOW_RESTART, id);
        int epoch = tasks.markStarted(id, exec, jobContext.getInstanceId(), config.nodeId(),
                BatchRuntime.getJobOperator().getParameters(exec));
        LOG.info(() -> "[task " + id + " exec " + exec + "] RUNNING on " + config.nodeId() + " (epoch " + epoch + ")");
    }

    @Override
    public void afterJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        FailureInfo failure = jobContext.getTransientUserData() instanceof FailureInfo f ? f : null;
        BatchStatus status = failure != null ? BatchStatus.FAILED : jobContext.getBatchStatus();
        ExecutionOutcome outcome = ExecutionOutcome.of(status, failure != null ? failure.exitStatus() : jobContext.getExitStatus());
        String error = failure != null ? failure.message() : null;
        try {
            boolean recorded = tasks.settle(id, exec, outcome, error);
            LOG.info(() -> "[task " + id + " exec " + exec + "] " + outcome.state() + " (" + outcome.exitStatus() + ")"
                    + (error != null ? ": " + error : "") + (recorded ? "" : " — not recorded: the task is not carried by this execution"));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + id + " exec " + exec + "] could not record the end of the execution ("
                    + outcome.state() + ", " + outcome.exitStatus() + "); the stranded-task sweep settles it from the job repository", e);
        } finally {
            live.end(exec);
        }
        dispatcher.wake();
    }
}
