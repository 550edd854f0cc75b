package dev.agentbatch.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.ops.FaultInjection;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.ExecutionOutcome;
import dev.agentbatch.task.ExitStatus;
import dev.agentbatch.task.TaskStore;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Makes every RUNNING task of this node true again when no live execution backs it, whatever the cause: the JVM that
 * ran it died ({@code kill -9}, a graceful shutdown: JBeret leaves the execution STARTED forever, upstream
 * JBERET-655), recording its end failed, or a crash fell between a restart and its attach. Runs at boot and on every
 * dispatcher pass (the stranded-task sweep), so such a task holds a slot of the cap for one pass at most.
 *
 * <p>It decides from the <em>latest</em> JOB_EXECUTION of the task's job instance, read from the table, never from
 * the execution the task last recorded (which may be older):
 * <ul>
 * <li>running in this JVM: the task follows it;</li>
 * <li>ended: the task is settled as {@link ExecutionOutcome} reads the row;</li>
 * <li>STARTING/STARTED and created before this deployment started (or silent for longer than the grace period): an
 * orphan; restarted with {@code jberet.restart.mode=force}, which marks it FAILED and resumes from its checkpoint,
 * then the task follows the new execution. Not JBeret's default {@code detect} mode: it decides "still running" from
 * its cache of job definitions and refuses every orphan after the first one (JBERET000647);</li>
 * <li>STOPPING and orphaned: someone asked it to stop; it is marked STOPPED, and so is the task;</li>
 * <li>STARTING or younger than the grace period: left alone (being started, or just ending).</li>
 * </ul>
 * Each step is idempotent: a crash at any point (after the force restart, before the attach) is finished by the next
 * run, which starts again from the latest execution; only the newest execution can ever commit (epoch fence).
 */
@ApplicationScoped
public class CrashRecovery {

    private static final Logger LOG = Logger.getLogger(CrashRecovery.class.getName());

    @Inject
    QueueStore tasks;
    @Inject
    TaskStore taskStates;
    @Inject
    ExecutionRows executions;
    @Inject
    AgentBatchConfig config;
    @Inject
    LiveExecutions live;
    @Inject
    FaultInjection faults;
    @Inject
    dev.agentbatch.approval.Approvals approvals;
    @Inject
    dev.agentbatch.security.SystemIdentity system;
    @Resource
    ManagedExecutorService launcher;

    /** @return how many orphaned executions were resumed (side by side: a reboot may find hundreds) */
    public int reconcile() {
        List<CompletableFuture<Boolean>> work = new ArrayList<>();
        for (AgentTask task : tasks.runningOnWithoutLive(config.nodeId(), live::contains)) {
            work.add(CompletableFuture.supplyAsync(() -> reconcile(task), launcher));
        }
        return (int) work.stream().filter(CompletableFuture::join).count();
    }

    private boolean reconcile(AgentTask task) {
        try {
            if (task.jobInstanceId == null) {
                return false; // RUNNING only ever follows markStarted, which records the instance
            }
            ExecutionRows.Row latest = executions.latestOf(task.jobInstanceId).orElse(null);
            if (latest == null || live.contains(latest.executionId())) {
                if (latest != null) {
                    tasks.follow(task.id, task.jobExecutionId, latest.executionId());
                }
                return false;
            }
            if (task.jobExecutionId == null || latest.executionId() != task.jobExecutionId) {
                if (!tasks.follow(task.id, task.jobExecutionId, latest.executionId())) {
                    return false; // the task moved meanwhile: the next pass looks again
                }
                LOG.info(() -> "[task " + task.id + " exec " + latest.executionId() + "] follows the latest execution of its"
                        + " job instance (it recorded " + task.jobExecutionId + ")");
            }
            return settle(task, latest);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + task.id + " exec " + task.jobExecutionId + "] could not reconcile the task"
                    + " with the job repository; the next pass tries again", e);
            return false;
        }
    }

    private boolean settle(AgentTask task, ExecutionRows.Row latest) {
        long exec = latest.executionId();
        boolean orphan = live.bootedAfter(latest.createTime()) || live.endedHere(exec) || silentFor(latest, config.strandedGrace());
        switch (latest.batchStatus()) {
            case STARTING, STARTED -> {
                if (!orphan) {
                    return false;
                }
                resume(task, latest, "was left " + latest.batchStatus() + " by a JVM that is gone");
                return true;
            }
            case STOPPING -> {
                if (!orphan) {
                    return false;
                }
                executions.markStopped(exec);
                // a job stops itself at the approval gate: its exit status was never written, the ledger says why
                String exit = approvals.countPending(task.id) > 0 ? ExitStatus.AWAITING_APPROVAL : null;
                record(task, exec, ExecutionOutcome.of(BatchStatus.STOPPED, exit),
                        "the server went down while the task was stopping");
            }
            default -> {
                ExecutionOutcome outcome = ExecutionOutcome.of(latest.batchStatus(), latest.exitStatus());
                if (outcome.resume()) {
                    resume(task, latest, "ended " + latest.exitStatus());
                    return true;
                }
                record(task, exec, outcome, latest.batchStatus() == BatchStatus.COMPLETED ? null
                        : "execution " + exec + " ended " + latest.batchStatus() + " (" + latest.exitStatus() + ")"
                        + " but the task did not record it; settled from the job repository");
            }
        }
        return false;
    }

    /**
     * Restarts the latest execution from its checkpoint (with {@code force}: JBeret cannot tell that a STARTED one is
     * an orphan; a FAILED or STOPPED one restarts as usual) and makes the task follow the new execution.
     */
    private void resume(AgentTask task, ExecutionRows.Row latest, String why) {
        long exec = latest.executionId();
        Properties force = TaskDispatcher.jobParameters(task);
        force.setProperty("jberet.restart.mode", "force");
        long next = system.call(() -> BatchRuntime.getJobOperator().restart(exec, force));
        faults.halt(FaultInjection.AFTER_RECOVERY_RESTART, task.id);
        tasks.follow(task.id, exec, next);
        LOG.info(() -> "[task " + task.id + " exec " + next + "] execution " + exec + " " + why
                + "; resumed from its checkpoint (iteration " + task.iterations + ")");
    }

    private void record(AgentTask task, long exec, ExecutionOutcome outcome, String error) {
        if (taskStates.settle(task.id, exec, outcome, error)) {
            LOG.info(() -> "[task " + task.id + " exec " + exec + "] settled from the job repository: " + outcome.state()
                    + " (" + outcome.exitStatus() + ")");
        }
    }

    private static boolean silentFor(ExecutionRows.Row row, Duration grace) {
        Instant last = row.lastUpdatedTime() != null ? row.lastUpdatedTime() : row.createTime();
        return last != null && last.plus(grace).isBefore(Instant.now());
    }
}
