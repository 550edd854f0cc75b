package dev.agentbatch.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import javax.sql.DataSource;

import dev.agentbatch.config.Jdbc;
import dev.agentbatch.config.Json;
import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.Role;
import dev.agentbatch.model.ToolCall;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/**
 * Reads and state changes of AGENT_TASK and AGENT_MESSAGE for the batch artifacts (the queue has {@code QueueStore}).
 * Every change is a targeted UPDATE guarded by what the caller believes (state, execution, epoch), so
 * that a late or stale writer changes nothing instead of overwriting a newer truth.
 */
@ApplicationScoped
public class TaskStore {

    private static final TypeReference<List<ToolCall>> TOOL_CALLS = new TypeReference<>() {
    };

    @PersistenceContext
    EntityManager em;
    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    @Inject
    EventLog events;
    @Inject
    dev.agentbatch.config.ClusterSignals signals;
    @Inject
    dev.agentbatch.ops.FaultInjection faults;
    @Inject
    dev.agentbatch.approval.Approvals approvals;

    public AgentTask get(long taskId) {
        AgentTask task = em.find(AgentTask.class, taskId);
        if (task == null) {
            throw new IllegalStateException("no agent task " + taskId);
        }
        return task;
    }

    /**
     * The task as it is, read outside any transaction. The reader uses this (and {@link #messagesOutsideTransaction})
     * so that the chunk transaction does not enlist a database connection before the model call: the connection
     * would otherwise be held for the whole call, and the pool would cap the number of tasks waiting on the model.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public AgentTask snapshot(long taskId) {
        return get(taskId);
    }

    /**
     * The task's progress, read outside any transaction (as {@link #snapshot}) with one plain JDBC query: the agent loop
     * reads it before every model call, and needs none of the rest of the task.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public TaskProgress progress(long taskId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("select EPOCH, ITERATIONS,"
                + " STOP_REQUESTED_AT, PROMPT_TOKENS + COMPLETION_TOKENS, TOOL_FAILURES from AGENT_TASK where ID = ?")) {
            s.setLong(1, taskId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new IllegalStateException("no agent task " + taskId);
                }
                OffsetDateTime stop = r.getObject(3, OffsetDateTime.class);
                return new TaskProgress(r.getInt(1), r.getInt(2), stop == null ? null : stop.toInstant(), r.getLong(4),
                        r.getInt(5));
            }
        } catch (SQLException e) {
            throw new PersistenceException("could not read the progress of task " + taskId + ": " + e.getMessage(), e);
        }
    }

    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<TaskMessage> messagesOutsideTransaction(long taskId) {
        return messages(taskId);
    }

    public List<TaskMessage> messages(long taskId) {
        return em.createQuery("select m from TaskMessage m where m.taskId = :t order by m.iteration, m.seq",
                TaskMessage.class).setParameter("t", taskId).getResultList();
    }

    public static ChatMessage toChatMessage(TaskMessage m) {
        List<ToolCall> calls = m.toolCalls == null ? List.of() : Json.MAPPER.convertValue(
                Json.read(m.toolCalls, Object.class), TOOL_CALLS);
        return new ChatMessage(Role.ofWireName(m.role), m.content, calls, m.toolCallId, m.toolName);
    }

    public static List<ChatMessage> conversation(List<TaskMessage> rows) {
        List<ChatMessage> messages = new ArrayList<>(rows.size());
        rows.forEach(r -> messages.add(toChatMessage(r)));
        return messages;
    }

    /**
     * A new job execution carries the task: it now owns it, under a new epoch, on this node. A targeted UPDATE, not a
     * dirty entity, guarded by the table of states ({@link TaskState#CARRIABLE}) and by the job instance: an execution
     * of another job instance never carries the task, and a COMPLETED or still queued task is never taken. Clears a
     * stop request (it was for the execution before) and the claim's hold, and mirrors the limits the execution runs
     * with, as its job parameters say (a restart from jboss-cli or the console may have changed them), so that the task
     * shows what is enforced; a limit the parameters do not set, or set to something that is not a number, is left as
     * it is (the reader fails such an execution with a clear error). Plain JDBC on the transaction's connection: the
     * update, the event and the read of the new epoch, with no persistence context (every execution begins here).
     *
     * @return the new epoch
     * @throws IllegalStateException when the task may not be carried by this execution (the job then fails)
     */
    @Transactional
    public int markStarted(long taskId, long executionId, long jobInstanceId, String nodeId, StartLimits limits) {
        Instant now = Instant.now();
        int epoch;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(MARK_STARTED)) {
                s.setLong(1, executionId);
                s.setLong(2, jobInstanceId);
                s.setString(3, nodeId);
                Jdbc.setInstant(s, 4, now);
                Jdbc.setInstant(s, 5, now);
                Jdbc.setInt(s, 6, limits.maxIterations());
                Jdbc.setLong(s, 7, limits.budgetTokens());
                Jdbc.setString(s, 8, limits.deadline());
                s.setLong(9, taskId);
                s.setLong(10, jobInstanceId);
                if (s.executeUpdate() != 1) {
                    throw notCarriable(c, taskId, executionId, jobInstanceId);
                }
            }
            try (PreparedStatement s = c.prepareStatement("select EPOCH from AGENT_TASK where ID = ?")) {
                s.setLong(1, taskId);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    epoch = r.getInt(1);
                }
            }
            TaskEvent started = TaskEvent.state(taskId, TaskState.RUNNING, executionId, null);
            events.insert(c, started);
            events.announce(started);
        } catch (SQLException e) {
            throw new PersistenceException("could not mark task " + taskId + " started by job execution " + executionId
                    + ": " + e.getMessage(), e);
        }
        return epoch;
    }

    /** The limits an execution runs with, from its job parameters; null where they set none (or nothing numeric). */
    public record StartLimits(Integer maxIterations, Long budgetTokens, String deadline) {

        public static StartLimits of(String maxIterations, String budgetTokens, String deadline) {
            return new StartLimits(number(maxIterations, Integer::valueOf), number(budgetTokens, Long::valueOf),
                    deadline == null || deadline.isBlank() ? null : deadline.trim());
        }

        private static <N> N number(String value, java.util.function.Function<String, N> parse) {
            try {
                return value == null || value.isBlank() ? null : parse.apply(value.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private static final String MARK_STARTED = "update AGENT_TASK set STATE = 'RUNNING', JOB_EXECUTION_ID = ?,"
            + " JOB_INSTANCE_ID = ?, NODE_ID = ?, EPOCH = EPOCH + 1, ERROR = null, EXIT_STATUS = null, ENDED_AT = null,"
            + " STOP_REQUESTED_AT = null, STARTED_AT = coalesce(STARTED_AT, ?), UPDATED_AT = ?,"
            + " MAX_ITERATIONS = coalesce(?, MAX_ITERATIONS), BUDGET_TOKENS = coalesce(?, BUDGET_TOKENS),"
            + " DEADLINE = coalesce(?, DEADLINE)"
            + " where ID = ? and STATE in (" + TaskState.CARRIABLE.stream().map(st -> "'" + st.name() + "'")
                    .collect(java.util.stream.Collectors.joining(", ")) + ")"
            + " and (JOB_INSTANCE_ID is null or JOB_INSTANCE_ID = ?)";

    private static IllegalStateException notCarriable(Connection c, long taskId, long executionId, long jobInstanceId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select STATE, JOB_INSTANCE_ID from AGENT_TASK where ID = ?")) {
            s.setLong(1, taskId);
            try (ResultSet r = s.executeQuery()) {
                return new IllegalStateException(!r.next() ? "no agent task " + taskId
                        : "task " + taskId + " is " + r.getString(1) + " (job instance " + Jdbc.getLong(r, "JOB_INSTANCE_ID")
                        + "): job execution " + executionId + " of job instance " + jobInstanceId + " may not carry it");
            }
        }
    }

    /**
     * The end of an execution, as {@link ExecutionOutcome} reads it; ignored unless the task is RUNNING on exactly
     * this execution (a newer execution carries it, or the task was already settled).
     *
     * @return whether the task was changed
     */
    @Transactional
    public boolean settle(long taskId, long executionId, ExecutionOutcome outcome, String error) {
        if (!outcome.ended()) {
            return false;
        }
        faults.fail(dev.agentbatch.ops.FaultInjection.MARK_ENDED, taskId);
        if (outcome.state() == TaskState.AWAITING_APPROVAL) {
            return awaitApproval(taskId, executionId);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("update AGENT_TASK"
                + " set STATE = ?, EXIT_STATUS = ?, ERROR = ?, ENDED_AT = ?, UPDATED_AT = ?, STOP_REQUESTED_AT = null"
                + " where ID = ? and JOB_EXECUTION_ID = ? and STATE = 'RUNNING'")) {
            Instant now = Instant.now();
            s.setString(1, outcome.state().name());
            Jdbc.setString(s, 2, outcome.exitStatus());
            Jdbc.setString(s, 3, error == null || error.length() <= 4000 ? error : error.substring(0, 4000));
            Jdbc.setInstant(s, 4, now);
            Jdbc.setInstant(s, 5, now);
            s.setLong(6, taskId);
            s.setLong(7, executionId);
            if (s.executeUpdate() != 1) {
                return false;
            }
            TaskEvent ended = TaskEvent.state(taskId, outcome.state(), executionId, outcome.exitStatus());
            events.insert(c, ended);
            events.announce(ended);
            return true;
        } catch (SQLException e) {
            throw new PersistenceException("could not record the end of job execution " + executionId + " of task "
                    + taskId + ": " + e.getMessage(), e);
        }
    }

    /**
     * The execution stopped itself at the approval gate. With the task's row locked (a decision locks it too, so the
     * two never miss each other): the task waits, holding no node, claim or slot; or, when every gated call was decided
     * while the execution was ending, it goes straight back to the queue; or, when a stop was requested meanwhile, the
     * stop wins and the undecided calls are denied.
     */
    private boolean awaitApproval(long taskId, long executionId) {
        AgentTask task = em.find(AgentTask.class, taskId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (task == null || task.state != TaskState.RUNNING || !Long.valueOf(executionId).equals(task.jobExecutionId)) {
            return false;
        }
        Instant now = Instant.now();
        TaskState next;
        String exit;
        if (task.stopRequestedAt != null) {
            approvals.denyPending(taskId, dev.agentbatch.security.SystemIdentity.NAME, "stopped");
            next = TaskState.STOPPED;
            exit = ExitStatus.STOPPED;
        } else if (approvals.countPending(taskId) == 0) {
            next = TaskState.RESTART_PENDING;
            exit = null;
        } else {
            next = TaskState.AWAITING_APPROVAL;
            exit = ExitStatus.AWAITING_APPROVAL;
        }
        em.createQuery("update AgentTask t set t.state = :s, t.exitStatus = :x, t.updatedAt = :now, t.stopRequestedAt = null,"
                        + " t.claimedBy = null, t.claimedAt = null"
                        + (next == TaskState.RESTART_PENDING ? ", t.jobExecutionId = null, t.nodeId = null, t.queuedAt = :now" : "")
                        + (next == TaskState.STOPPED ? ", t.endedAt = :now" : "")
                        + " where t.id = :id")
                .setParameter("s", next).setParameter("x", exit).setParameter("now", now).setParameter("id", taskId)
                .executeUpdate();
        events.publish(TaskEvent.state(taskId, next, next == TaskState.RESTART_PENDING ? null : executionId, exit));
        if (next == TaskState.RESTART_PENDING) {
            signals.queueChanged();
        }
        return true;
    }

    /**
     * An execution ended without ending the task ({@link ExecutionOutcome#resume()}): the task stays RUNNING. After a
     * hand-off it belongs to no node, and any live node takes it over; otherwise it stays on this node, whose next
     * dispatcher pass restarts it from its checkpoint.
     *
     * @return whether the task was carried by this execution
     */
    @Transactional
    public boolean resumeLater(long taskId, long executionId, String exitStatus) {
        boolean handOff = ExitStatus.HANDED_OFF.equals(exitStatus);
        boolean changed = em.createQuery("update AgentTask t set t.updatedAt = :now, t.exitStatus = :exit"
                        + (handOff ? ", t.nodeId = null, t.claimedBy = null, t.claimedAt = null" : "")
                        + " where t.id = :id and t.jobExecutionId = :exec and t.state = :running")
                .setParameter("now", Instant.now()).setParameter("exit", exitStatus).setParameter("id", taskId)
                .setParameter("exec", executionId)
                .setParameter("running", TaskState.RUNNING).executeUpdate() == 1;
        if (changed) {
            events.publish(TaskEvent.state(taskId, TaskState.RUNNING, executionId, exitStatus));
            if (handOff) {
                signals.queueChanged(); // a live node takes it over at once
            }
        }
        return changed;
    }

    /** One retry of an iteration, kept whatever happens to the chunk it is about. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRetry(long taskId, int iteration, int retry, java.time.Duration delay, String cause, long executionId) {
        RetryRecord r = new RetryRecord();
        r.taskId = taskId;
        r.iteration = iteration;
        r.retry = retry;
        r.delayMs = delay == null ? null : delay.toMillis();
        r.cause = cause == null || cause.length() <= 4000 ? cause : cause.substring(0, 4000);
        r.jobExecutionId = executionId;
        r.createdAt = Instant.now();
        em.persist(r);
    }

    public List<RetryRecord> retries(long taskId) {
        return em.createQuery("select r from RetryRecord r where r.taskId = :t order by r.iteration, r.retry, r.id",
                RetryRecord.class).setParameter("t", taskId).getResultList();
    }
}
