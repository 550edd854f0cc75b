package dev.agentbatch.task;

import java.time.Instant;
import java.util.Properties;
import java.util.logging.Logger;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Restart and stop, as the REST API and the CLI ask for them. The job listener records what then happens,
 * exactly as when an admin restarts or stops the execution from the console or jboss-cli.
 */
@ApplicationScoped
public class TaskControl {

    private static final Logger LOG = Logger.getLogger(TaskControl.class.getName());

    @PersistenceContext
    EntityManager em;

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<TaskEvent> events;

    /** Optional new limits for a restart. */
    public record Overrides(String deadline, Integer maxIterations, Long budgetTokens) {
    }

    @Transactional
    public AgentTask restart(long taskId, Overrides overrides) {
        AgentTask task = lock(taskId);
        if (task.state != TaskState.FAILED && task.state != TaskState.STOPPED) {
            throw ApiProblem.conflict("not-restartable", "Task cannot be restarted",
                    "task " + taskId + " is " + task.state + "; only FAILED or STOPPED tasks can be restarted");
        }
        if (task.jobExecutionId == null) {
            throw ApiProblem.conflict("not-restartable", "Task cannot be restarted",
                    "task " + taskId + " was cancelled before it started; submit it again");
        }
        Properties parameters = new Properties();
        if (overrides != null) {
            TaskValidator.validateLimits(overrides.deadline(), overrides.maxIterations(), overrides.budgetTokens());
            if (overrides.deadline() != null) {
                task.deadline = overrides.deadline();
                parameters.setProperty("deadline", overrides.deadline());
            }
            if (overrides.maxIterations() != null) {
                task.maxIterations = overrides.maxIterations();
                parameters.setProperty("maxIterations", overrides.maxIterations().toString());
            }
            if (overrides.budgetTokens() != null) {
                task.budgetTokens = overrides.budgetTokens();
                parameters.setProperty("budgetTokens", overrides.budgetTokens().toString());
            }
        }
        JobOperator operator = BatchRuntime.getJobOperator();
        long previous = task.jobExecutionId;
        long exec = operator.restart(previous, parameters);
        task.state = TaskState.RUNNING;
        task.jobExecutionId = exec;
        task.error = null;
        task.exitStatus = null;
        task.endedAt = null;
        task.updatedAt = Instant.now();
        LOG.info(() -> "[task " + taskId + " exec " + exec + "] restart of execution " + previous + " requested");
        return task;
    }

    @Transactional
    public AgentTask stop(long taskId) {
        AgentTask task = lock(taskId);
        if (task.state == TaskState.PENDING) {
            task.state = TaskState.STOPPED;
            task.exitStatus = "CANCELLED";
            task.endedAt = Instant.now();
            task.updatedAt = task.endedAt;
            events.fire(TaskEvent.state(taskId, TaskState.STOPPED, null, "CANCELLED"));
            LOG.info(() -> "[task " + taskId + "] cancelled before it started");
            return task;
        }
        if (task.state != TaskState.RUNNING || task.jobExecutionId == null) {
            throw ApiProblem.conflict("not-stoppable", "Task cannot be stopped",
                    "task " + taskId + " is " + task.state + (task.state == TaskState.RUNNING
                            ? " but its job is not started yet; try again in a moment" : "; only PENDING or RUNNING tasks can be stopped"));
        }
        JobOperator operator = BatchRuntime.getJobOperator();
        BatchStatus status = operator.getJobExecution(task.jobExecutionId).getBatchStatus();
        if (status == BatchStatus.STARTING || status == BatchStatus.STARTED) {
            operator.stop(task.jobExecutionId);
            LOG.info(() -> "[task " + taskId + " exec " + task.jobExecutionId + "] stop requested: stops at the next iteration boundary");
        }
        return task;
    }

    private AgentTask lock(long taskId) {
        AgentTask task = em.find(AgentTask.class, taskId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (task == null) {
            throw ApiProblem.notFound(taskId);
        }
        return task;
    }
}
