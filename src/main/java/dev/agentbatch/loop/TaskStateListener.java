package dev.agentbatch.loop;

import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.ops.FaultInjection;
import dev.agentbatch.ops.ServerState;
import dev.agentbatch.queue.ExecutionRows;
import dev.agentbatch.queue.LiveExecutions;
import dev.agentbatch.queue.TaskDispatcher;
import dev.agentbatch.task.ExecutionOutcome;
import dev.agentbatch.task.ExitStatus;
import dev.agentbatch.task.TaskStore;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.listener.AbstractJobListener;
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
    ServerState server;
    @Inject
    ExecutionRows executions;

    @Inject
    @BatchProperty
    String taskId;
    /** The limits as the execution's job parameters give them (blank: not given), mirrored into the task. */
    @Inject
    @BatchProperty
    String maxIterations;
    @Inject
    @BatchProperty
    String budgetTokens;
    @Inject
    @BatchProperty
    String deadline;

    @Override
    public void beforeJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        live.begin(exec);
        faults.hold(FaultInjection.SLOW_RESTART, id);
        int epoch = tasks.markStarted(id, exec, jobContext.getInstanceId(), config.nodeId(),
                TaskStore.StartLimits.of(maxIterations, budgetTokens, deadline));
        LOG.info(() -> "[task " + id + " exec " + exec + "] RUNNING on " + config.nodeId() + " (epoch " + epoch + ")");
    }

    @Override
    public void afterJob() {
        long id = Long.parseLong(taskId);
        long exec = jobContext.getExecutionId();
        FailureInfo failure = jobContext.getTransientUserData() instanceof FailureInfo f ? f : null;
        BatchStatus status = failure != null ? BatchStatus.FAILED : jobContext.getBatchStatus();
        String exit = failure != null ? failure.exitStatus() : jobContext.getExitStatus();
        if ((status == BatchStatus.STOPPED || status == BatchStatus.STOPPING) && isPlainStop(exit)) {
            exit = stopCause(id, exec);
            jobContext.setExitStatus(exit);
        }
        ExecutionOutcome outcome = ExecutionOutcome.of(status, exit);
        String error = failure != null ? failure.message() : null;
        try {
            boolean recorded = outcome.resume() ? tasks.resumeLater(id, exec, outcome.exitStatus())
                    : tasks.settle(id, exec, outcome, error);
            LOG.info(() -> "[task " + id + " exec " + exec + "] " + (outcome.resume() ? "execution ended " + outcome.exitStatus()
                    + (ExitStatus.HANDED_OFF.equals(outcome.exitStatus()) ? ": the node leaves, the task goes to a live node"
                    : ": the task resumes here") : outcome.state() == dev.agentbatch.task.TaskState.AWAITING_APPROVAL
                    ? "stopped at the approval gate: the task waits for a decision (GET /api/approvals), holding nothing"
                    : outcome.state() + " (" + outcome.exitStatus() + ")")
                    + (error != null ? ": " + error : "") + (recorded ? "" : " — not recorded: the task is not carried by this execution"));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + id + " exec " + exec + "] could not record the end of the execution ("
                    + outcome.state() + ", " + outcome.exitStatus() + "); the stranded-task sweep settles it from the job repository", e);
        } finally {
            live.end(exec);
        }
        dispatcher.wake();
    }

    private static boolean isPlainStop(String exit) {
        return exit == null || exit.isBlank() || exit.equals(ExitStatus.STOPPED) || exit.equals(BatchStatus.STOPPING.name());
    }

    /**
     * Who stopped an execution that ended STOPPED with no exit status of ours: a person through the API (the task's
     * stop request), this node leaving (the server suspends: hand the task over), another node through the shared job
     * repository (its row went STOPPING without this JVM asking: resume here), or a person on this node (jboss-cli
     * {@code stop-job}, the console).
     */
    private String stopCause(long id, long exec) {
        if (tasks.snapshot(id).stopRequestedAt != null) {
            return ExitStatus.STOPPED;
        }
        if (server.suspending()) {
            return ExitStatus.HANDED_OFF;
        }
        if (executions.get(exec).map(r -> r.batchStatus() == BatchStatus.STOPPING).orElse(false)) {
            return ExitStatus.INTERRUPTED;
        }
        return ExitStatus.STOPPED;
    }
}
