package dev.agentbatch.loop;

import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.queue.LiveExecutions;
import dev.agentbatch.queue.TaskDispatcher;
import dev.agentbatch.task.TaskState;
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
 * Keeps AGENT_TASK true whoever started the job: our dispatcher, our restart endpoint, jboss-cli's
 * {@code restart-job} or the console's Restart button. Every execution takes ownership under a new epoch
 * when it begins and records the outcome when it ends.
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
    @BatchProperty
    String taskId;

    @Override
    public void beforeJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        live.begin(exec);
        int epoch = tasks.markStarted(id, exec, jobContext.getInstanceId(), config.nodeId(),
                BatchRuntime.getJobOperator().getParameters(exec));
        LOG.info(() -> "[task " + id + " exec " + exec + "] RUNNING on " + config.nodeId() + " (epoch " + epoch + ")");
    }

    @Override
    public void afterJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        BatchStatus status = jobContext.getBatchStatus();
        FailureInfo failure = jobContext.getTransientUserData() instanceof FailureInfo f ? f : null;
        TaskState state;
        if (failure != null || status == BatchStatus.FAILED) {
            state = TaskState.FAILED;
        } else if (status == BatchStatus.STOPPING || status == BatchStatus.STOPPED || stopRequested(exec)) {
            state = TaskState.STOPPED;
        } else {
            state = TaskState.COMPLETED;
        }
        String exitStatus = failure != null ? failure.exitStatus() : state.name();
        String error = failure != null ? failure.message() : null;
        boolean recorded;
        try {
            recorded = tasks.markEnded(id, exec, state, exitStatus, error);
        } finally {
            live.end(exec);
        }
        LOG.info(() -> "[task " + id + " exec " + exec + "] " + state + (error != null ? " (" + exitStatus + "): " + error : "")
                + (recorded ? "" : " — not recorded: a newer execution carries the task"));
        dispatcher.wake();
    }

    private static boolean stopRequested(long exec) {
        BatchStatus persisted = BatchRuntime.getJobOperator().getJobExecution(exec).getBatchStatus();
        return persisted == BatchStatus.STOPPING || persisted == BatchStatus.STOPPED;
    }
}
