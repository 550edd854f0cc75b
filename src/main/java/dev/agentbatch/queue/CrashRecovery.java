package dev.agentbatch.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.TaskState;
import dev.agentbatch.task.TaskStore;
import jakarta.annotation.Resource;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Resumes the tasks a dead JVM left behind. After {@code kill -9} (and even after a graceful shutdown) JBeret
 * leaves the execution STARTED in the job repository forever and nothing in WildFly looks at it again (upstream
 * JBERET-655). A task of this node whose execution is still STARTING/STARTED, was created before this deployment
 * started, and is not running in this JVM is an orphan: it is restarted with {@code jberet.restart.mode=force},
 * which marks it FAILED and resumes it from its last checkpoint. Not JBeret's default {@code detect} mode: that
 * mode decides "still running" from whether the job XML is cached in this JVM, and the JDBC repository attaches
 * the cached job to every instance it loads once any agent-task job has run here (JBERET000647 for every orphan
 * after the first). Our own test above is the authority. Runs at boot and on every sweep; it can only ever pick up
 * executions of an earlier JVM, so it never starts a second live execution of a task.
 */
@ApplicationScoped
public class CrashRecovery {

    private static final Logger LOG = Logger.getLogger(CrashRecovery.class.getName());

    @Inject
    QueueStore tasks;
    @Inject
    TaskStore taskStates;
    @Inject
    AgentBatchConfig config;
    @Inject
    LiveExecutions live;
    @Resource
    ManagedExecutorService launcher;

    private final Instant bootTime = Instant.now();

    /** @return how many orphaned executions were resumed (side by side: a reboot may find hundreds) */
    public int resumeOrphans() {
        JobOperator operator = BatchRuntime.getJobOperator();
        List<CompletableFuture<Boolean>> work = new ArrayList<>();
        for (AgentTask task : tasks.runningOn(config.nodeId())) {
            Long exec = task.jobExecutionId;
            if (exec == null || live.contains(exec)) {
                continue;
            }
            JobExecution execution = operator.getJobExecution(exec);
            if (createdBeforeBoot(execution)) {
                work.add(CompletableFuture.supplyAsync(() -> settle(operator, task, execution), launcher));
            }
        }
        return (int) work.stream().filter(CompletableFuture::join).count();
    }

    /** Resumes one orphan, or records how it ended when the dead JVM finished it but not its task. */
    private boolean settle(JobOperator operator, AgentTask task, JobExecution execution) {
        long exec = execution.getExecutionId();
        BatchStatus status = execution.getBatchStatus();
        try {
            switch (status) {
                case STARTING, STARTED -> {
                    Properties force = new Properties();
                    force.setProperty("jberet.restart.mode", "force");
                    long next = operator.restart(exec, force);
                    tasks.attachRecovered(task.id, exec, next);
                    LOG.info(() -> "[task " + task.id + " exec " + next + "] execution " + exec + " was left " + status
                            + " by a JVM that is gone; resumed from its checkpoint (iteration " + task.iterations + ")");
                    return true;
                }
                case STOPPING -> taskStates.markEnded(task.id, exec, TaskState.STOPPED, "STOPPED",
                        "the server went down while the task was stopping");
                case COMPLETED -> taskStates.markEnded(task.id, exec, TaskState.COMPLETED, execution.getExitStatus(), null);
                case FAILED, ABANDONED -> taskStates.markEnded(task.id, exec, TaskState.FAILED, execution.getExitStatus(),
                        "execution " + exec + " ended " + status + " while the server went down");
                case STOPPED -> taskStates.markEnded(task.id, exec, TaskState.STOPPED, execution.getExitStatus(), null);
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + task.id + " exec " + exec + "] could not resume the orphaned execution;"
                    + " the next sweep tries again", e);
        }
        return false;
    }

    private boolean createdBeforeBoot(JobExecution execution) {
        Date created = execution.getCreateTime();
        return created != null && created.toInstant().isBefore(bootTime);
    }

    public List<Long> liveExecutions() {
        return live.snapshot();
    }
}
