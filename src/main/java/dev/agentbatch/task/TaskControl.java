package dev.agentbatch.task;

import java.time.Instant;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Restart and stop, as the REST API and the CLI ask for them. Both are requests recorded in AGENT_TASK, so they work
 * whichever node answers: a restart queues the task again (RESTART_PENDING: it waits its turn by priority and within
 * the cap, like a new task), and a stop is read by the agent loop at its next iteration boundary. The job listener
 * records what then happens, exactly as when an admin restarts or stops the execution from the console or jboss-cli.
 */
@ApplicationScoped
public class TaskControl {

    private static final Logger LOG = Logger.getLogger(TaskControl.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    EventLog events;
    @Inject
    dev.agentbatch.security.AuditLog audit;
    @Inject
    dev.agentbatch.config.ClusterSignals signals;
    @Inject
    dev.agentbatch.approval.Approvals approvals;

    /** Optional new limits for a restart. */
    public record Overrides(String deadline, Integer maxIterations, Long budgetTokens) {
    }

    @Transactional
    public AgentTask restart(long taskId, Overrides overrides, String user) {
        AgentTask task = lock(taskId);
        if (task.state == TaskState.AWAITING_APPROVAL) {
            throw ApiProblem.conflict("awaiting-approval", "Task waits for an approval",
                    "task " + taskId + " waits for a decision on its gated tool call(s): approve or deny them"
                            + " (GET /api/approvals), or stop it");
        }
        if (task.state != TaskState.FAILED && task.state != TaskState.STOPPED) {
            throw ApiProblem.conflict("not-restartable", "Task cannot be restarted",
                    "task " + taskId + " is " + task.state + "; only FAILED or STOPPED tasks can be restarted");
        }
        if (task.jobInstanceId == null) {
            throw ApiProblem.conflict("not-restartable", "Task cannot be restarted",
                    "task " + taskId + " was cancelled before it started; submit it again");
        }
        if (overrides != null) {
            TaskValidator.validateLimits(overrides.deadline(), overrides.maxIterations(), overrides.budgetTokens());
            if (overrides.deadline() != null) {
                task.deadline = overrides.deadline();
            }
            if (overrides.maxIterations() != null) {
                task.maxIterations = overrides.maxIterations();
            }
            if (overrides.budgetTokens() != null) {
                task.budgetTokens = overrides.budgetTokens();
            }
        }
        Long previous = task.jobExecutionId;
        Instant now = Instant.now();
        task.state = TaskState.RESTART_PENDING;
        task.jobExecutionId = null;
        task.nodeId = null;
        task.claimedBy = null;
        task.claimedAt = null;
        task.stopRequestedAt = null;
        task.error = null;
        task.exitStatus = null;
        task.endedAt = null;
        task.queuedAt = now;
        task.updatedAt = now;
        events.publish(TaskEvent.state(taskId, TaskState.RESTART_PENDING, null, null));
        audit.record(taskId, "RESTART", user, overrides == null ? null : overrides.toString());
        signals.queueChanged();
        LOG.info(() -> "[task " + taskId + " exec " + previous + "] restart requested: queued (priority " + task.priority + ")");
        return task;
    }

    @Transactional
    public AgentTask stop(long taskId, String user) {
        AgentTask task = lock(taskId);
        if (task.state.isQueued()) {
            task.state = TaskState.STOPPED;
            task.exitStatus = ExitStatus.CANCELLED;
            task.endedAt = Instant.now();
            task.updatedAt = task.endedAt;
            events.publish(TaskEvent.state(taskId, TaskState.STOPPED, null, ExitStatus.CANCELLED));
            audit.record(taskId, "CANCEL", user, null);
            LOG.info(() -> "[task " + taskId + "] cancelled before it started");
            return task;
        }
        if (task.state == TaskState.AWAITING_APPROVAL) {
            int denied = approvals.denyPending(taskId, user, "stopped");
            task.state = TaskState.STOPPED;
            task.exitStatus = ExitStatus.STOPPED;
            task.endedAt = Instant.now();
            task.updatedAt = task.endedAt;
            events.publish(TaskEvent.state(taskId, TaskState.STOPPED, task.jobExecutionId, ExitStatus.STOPPED));
            audit.record(taskId, "STOP", user, "while awaiting approval; " + denied + " gated call(s) denied");
            LOG.info(() -> "[task " + taskId + " exec " + task.jobExecutionId + "] stopped while awaiting approval: "
                    + denied + " gated call(s) denied (reason: stopped)");
            return task;
        }
        if (task.state != TaskState.RUNNING && task.state != TaskState.STARTING) {
            throw ApiProblem.conflict("not-stoppable", "Task cannot be stopped",
                    "task " + taskId + " is " + task.state + "; only PENDING, RESTART_PENDING, STARTING, RUNNING or"
                            + " AWAITING_APPROVAL tasks can be stopped");
        }
        if (task.stopRequestedAt == null) {
            task.stopRequestedAt = Instant.now();
            task.updatedAt = task.stopRequestedAt;
            audit.record(taskId, "STOP", user, "execution " + task.jobExecutionId);
        }
        LOG.info(() -> "[task " + taskId + " exec " + task.jobExecutionId + "] stop requested: stops at the next iteration boundary");
        return task;
    }

    private AgentTask lock(long taskId) {
        AgentTask task = em.find(AgentTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        if (task == null) {
            throw ApiProblem.notFound(taskId);
        }
        return task;
    }
}
