package dev.agentbatch.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.task.AgentTask;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Hands PENDING tasks to JBeret (as the system identity, see {@link dev.agentbatch.security.SystemIdentity}) in priority order, never more than AGENT_BATCH_MAX_CONCURRENT_TASKS running
 * on this node. {@code JobOperator.start} is asynchronous and JBeret's thread pool is first-in first-out, so
 * priority and the cap are applied here, before a task reaches JBeret. Woken on every submit and every task
 * end; a slow sweep is only a safety net.
 */
@ApplicationScoped
public class TaskDispatcher {

    public static final String JOB_NAME = "agent-task";
    private static final Logger LOG = Logger.getLogger(TaskDispatcher.class.getName());

    @Inject
    QueueStore tasks;
    @Inject
    AgentBatchConfig config;
    @Inject
    CrashRecovery recovery;
    @Inject
    ExecutionRows executions;
    @Inject
    Takeover takeover;
    @Inject
    dev.agentbatch.security.SystemIdentity system;
    @Inject
    NodeLease lease;
    @Inject
    dev.agentbatch.ops.ServerState server;
    @Inject
    LiveExecutions live;
    @Inject
    dev.agentbatch.ops.AgentMetrics metrics;
    @Inject
    dev.agentbatch.approval.Approvals approvals;

    @Resource
    ManagedScheduledExecutorService executor;
    /** Where job starts run, apart from the scheduler thread that runs the pass and waits for them. */
    @Resource
    ManagedExecutorService launcher;

    /** While the server boots: how often a pass that found it still suspended looks again, and for how long. */
    private static final long BOOT_RETRY_MS = 100;
    private static final Duration BOOT_RETRY_FOR = Duration.ofMinutes(2);

    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final Object passLock = new Object();
    private ScheduledFuture<?> sweep;
    /** Used by passes only, which never overlap. */
    private StateGauges gauges;
    /** Until the first pass that did its work: WildFly deploys us before it resumes, and a pass before that does nothing. */
    private volatile Instant bootRetryUntil;

    void start() {
        gauges = new StateGauges(config.finishedGaugeRefresh());
        long sweepMs = config.dispatchSweep().toMillis();
        sweep = executor.scheduleWithFixedDelay(this::pass, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
        bootRetryUntil = Instant.now().plus(BOOT_RETRY_FOR);
        wake();
    }

    @PreDestroy
    void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    /** Another node queued work (a submission, a restart, a hand-off): look at the queue now. */
    void signalled(@jakarta.enterprise.event.Observes dev.agentbatch.config.ClusterSignals.Signal signal) {
        if (signal == dev.agentbatch.config.ClusterSignals.Signal.QUEUE) {
            wake();
        }
    }

    /** Asks for a dispatch pass soon; passes requested while one is queued collapse into it. */
    public void wake() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    passQueued.set(false);
                    pass();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the server suspends (a node leaving): no pass now, and none is owed; the scheduled pass resumes with it
                passQueued.set(false);
                LOG.fine(() -> "no dispatcher pass while the server suspends: " + e.getMessage());
            }
        }
    }

    /**
     * Gives back claims that never started, settles what no live execution backs (see {@link CrashRecovery}), denies
     * the approvals that timed out (queueing their tasks), takes over the tasks of dead nodes (see {@link Takeover}), then starts queued tasks up to the cap. Only while this node
     * holds its lease and is not leaving. Passes never overlap, so at the start of one no launch is in flight.
     */
    void pass() {
        synchronized (passLock) {
            try {
                if (!lease.holdsLease() || server.suspending()) {
                    // no work without a fresh lease, and none for a node that is leaving; but a booting server is still
                    // suspended when it deploys us: look again soon, so that the queue and the orphans of a crash are
                    // taken up as the server resumes, not a sweep later (AGENT_BATCH_DISPATCH_SWEEP_MS)
                    retryWhileBooting();
                    return;
                }
                bootRetryUntil = null;
                String node = config.nodeId();
                tasks.releaseUnstartedClaims(node, Instant.now());
                recovery.reconcile();
                approvals.overdue(100).forEach(due -> approvals.timeOut(due.taskId, due.toolCallId));
                int free = (int) (config.maxConcurrentTasks() - tasks.countRunning(node));
                free -= takeover.run(free);
                List<AgentTask> claimed = tasks.claim(node, free);
                // started side by side: each start is a few repository writes, and a burst of hundreds of tasks
                // must not queue behind them one by one (the pass itself stays single: claims never overlap)
                CompletableFuture.allOf(claimed.stream()
                        .map(task -> CompletableFuture.runAsync(() -> launch(task), launcher))
                        .toArray(CompletableFuture[]::new)).join();
                countTasks();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dispatch pass failed; the next wake-up or sweep tries again", e);
            } finally {
                metrics.dispatchPass();
            }
        }
    }

    /** The tasks-by-state gauges: the live states every pass, the finished ones as {@link StateGauges} says. */
    private void countTasks() {
        try {
            metrics.tasks(tasks.countByState(gauges.toCount(Instant.now())));
        } catch (RuntimeException e) {
            gauges.countFailed();
            throw e;
        }
    }

    private void retryWhileBooting() {
        Instant until = bootRetryUntil;
        if (until == null || Instant.now().isAfter(until)) {
            return;
        }
        try {
            executor.schedule(this::wake, BOOT_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine(() -> "no dispatcher retry while the server boots: " + e.getMessage());
        }
    }

    /**
     * Starts the job of a new task, or restarts the latest execution of a task's job instance (from its checkpoint,
     * with the task's current limits as restart parameters, which JBeret merges over the original ones).
     */
    private void launch(AgentTask task) {
        JobOperator operator = BatchRuntime.getJobOperator();
        try {
            system.run(() -> start(operator, task));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + task.id + "] could not start job " + JOB_NAME + "; back to the queue", e);
            tasks.releaseClaim(task.id, "could not start: " + e.getMessage());
        }
    }

    private void start(JobOperator operator, AgentTask task) {
        long exec;
        if (task.jobInstanceId == null) {
            exec = operator.start(JOB_NAME, jobParameters(task));
        } else {
            ExecutionRows.Row latest = executions.latestOf(task.jobInstanceId).orElseThrow(() -> new IllegalStateException(
                    "job instance " + task.jobInstanceId + " of task " + task.id + " has no execution"));
            boolean orphan = latest.isRunning() && live.bootedAfter(latest.createTime());
            if (latest.isRunning() && !orphan) {
                tasks.releaseClaim(task.id, null); // restarted by hand meanwhile: that execution carries it
                return;
            }
            Properties parameters = jobParameters(task);
            if (orphan) {
                // left running by a JVM that is gone: JBeret's detect mode cannot tell, our boot time can
                parameters.setProperty("jberet.restart.mode", "force");
            }
            exec = operator.restart(latest.executionId(), parameters);
        }
        tasks.attachExecution(task.id, exec);
        LOG.info(() -> "[task " + task.id + " exec " + exec + "] " + (task.jobInstanceId == null ? "dispatched" : "restart dispatched")
                + " (priority " + task.priority + ")");
    }

    /** The task id and its limits only: JOB_EXECUTION.JOBPARAMETERS is stored in clear text, so never a secret. */
    static Properties jobParameters(AgentTask task) {
        Properties p = new Properties();
        p.setProperty("taskId", Long.toString(task.id));
        if (task.maxIterations != null) {
            p.setProperty("maxIterations", task.maxIterations.toString());
        }
        if (task.budgetTokens != null) {
            p.setProperty("budgetTokens", task.budgetTokens.toString());
        }
        if (task.deadline != null) {
            p.setProperty("deadline", task.deadline);
        }
        if (task.contextTokens != null) {
            p.setProperty("contextTokens", task.contextTokens.toString());
        }
        return p;
    }
}
