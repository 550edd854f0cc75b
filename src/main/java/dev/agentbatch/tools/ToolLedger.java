package dev.agentbatch.tools;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import dev.agentbatch.config.Jdbc;
import dev.agentbatch.model.ToolCall;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/**
 * Effectively-once tool calls. Each write is its own transaction so that what the ledger says survives
 * a rollback of the chunk and a crash: a STARTED row found later is an effect in doubt. The STARTED row is written
 * under the task's epoch fence, so a stale execution (one a newer execution took the task from) is stopped before
 * its effect, not only at its commit.
 *
 * <p>Plain JDBC on a connection taken outside the chunk's transaction (suspended here), committed on its own: a JTA
 * transaction and a persistence context for each of a side effect's three ledger calls were most of their cost. The
 * rows are the ones {@link ToolCallRecord} maps; everything else reads them with Hibernate.
 */
@ApplicationScoped
public class ToolLedger {

    /** Thrown by {@link #begin} when the task is no longer at the caller's epoch. */
    public static class Fenced extends RuntimeException {
        public Fenced(String message) {
            super(message);
        }
    }

    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    /** The call's row as committed, read outside the chunk's transaction. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<ToolCallRecord> find(long taskId, int iteration, String toolCallId) {
        try (Connection c = dataSource.getConnection()) {
            return select(c, taskId, iteration, toolCallId);
        } catch (SQLException e) {
            throw failure("could not read the tool ledger of task " + taskId + " iteration " + iteration, e);
        }
    }

    /**
     * Records that the call is about to run, if the task is still at {@code epoch} (the check locks the task's row
     * until this transaction commits, so no takeover can slip between the check and the row). A row left STARTED or
     * IN_DOUBT by an earlier attempt means that attempt may have had its effect: the new attempt is marked in doubt,
     * for good, and reuses the same idempotency key. A gated call starts only if its row says APPROVED: the last guard
     * of the approval gate, in the same transaction as the STARTED row.
     *
     * @throws Fenced when a newer execution carries the task
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public ToolCallRecord begin(long taskId, int epoch, int iteration, ToolCall call, long executionId, boolean gated) {
        try {
            return Jdbc.inOwnTransaction(dataSource, c -> begin(c, taskId, epoch, iteration, call, executionId, gated));
        } catch (SQLException e) {
            throw failure("could not record the start of tool call " + call.id() + " of task " + taskId, e);
        }
    }

    private static ToolCallRecord begin(Connection c, long taskId, int epoch, int iteration, ToolCall call, long executionId,
                                        boolean gated) throws SQLException {
        try (PreparedStatement fence = c.prepareStatement(FENCE)) {
            fence.setLong(1, taskId);
            fence.setInt(2, epoch);
            if (fence.executeUpdate() != 1) {
                throw new Fenced("task " + taskId + " is no longer at epoch " + epoch + ": a newer execution carries it;"
                        + " the tool call " + call.id() + " was not started");
            }
        }
        ToolCallRecord row = select(c, taskId, iteration, call.id()).orElse(null);
        if (gated && (row == null || row.approval != ToolCallRecord.Approval.APPROVED)) {
            throw new IllegalStateException("the gated call " + call.id() + " of task " + taskId + " is not approved ("
                    + (row == null ? "no request" : row.approval) + "); it is not started");
        }
        Instant now = Instant.now();
        if (row == null) {
            row = new ToolCallRecord();
            row.taskId = taskId;
            row.iteration = iteration;
            row.toolCallId = call.id();
            row.toolName = call.name();
            row.arguments = call.arguments();
            row.idempotencyKey = ToolContext.idempotencyKey(taskId, iteration, call.id());
            row.state = ToolCallRecord.State.STARTED;
            row.attempts = 1;
            row.jobExecutionId = executionId;
            row.startedAt = now;
            row.id = insertStarted(c, row);
            return row;
        }
        if (row.state == ToolCallRecord.State.STARTED || row.state == ToolCallRecord.State.IN_DOUBT) {
            row.inDoubt = true;
        }
        row.state = ToolCallRecord.State.STARTED;
        row.attempts++;
        row.jobExecutionId = executionId;
        row.startedAt = now;
        row.endedAt = null;
        try (PreparedStatement update = c.prepareStatement(RESTART)) {
            update.setString(1, row.state.name());
            update.setInt(2, row.attempts);
            update.setBoolean(3, row.inDoubt);
            update.setLong(4, executionId);
            Jdbc.setInstant(update, 5, now);
            update.setLong(6, row.id);
            update.executeUpdate();
        }
        return row;
    }

    private static long insertStarted(Connection c, ToolCallRecord row) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT_STARTED, Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, row.taskId);
            insert.setInt(2, row.iteration);
            insert.setString(3, row.toolCallId);
            insert.setString(4, row.toolName);
            Jdbc.setString(insert, 5, row.arguments);
            insert.setString(6, row.idempotencyKey);
            insert.setString(7, row.state.name());
            insert.setInt(8, row.attempts);
            insert.setBoolean(9, row.inDoubt);
            insert.setLong(10, row.jobExecutionId);
            Jdbc.setInstant(insert, 11, row.startedAt);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("the database returned no ID for the ledger row of tool call " + row.toolCallId);
                }
                return keys.getLong("ID");
            }
        }
    }

    /** A finished row, not persisted: written by the chunk transaction with its iteration. */
    public static ToolCallRecord record(long taskId, int iteration, ToolCall call, long executionId, Instant started,
                                        ToolCallRecord.State state, String result, String error) {
        ToolCallRecord row = new ToolCallRecord();
        row.taskId = taskId;
        row.iteration = iteration;
        row.toolCallId = call.id();
        row.toolName = call.name();
        row.arguments = call.arguments();
        row.idempotencyKey = ToolContext.idempotencyKey(taskId, iteration, call.id());
        row.state = state;
        row.result = result;
        row.error = error;
        row.attempts = 1;
        row.jobExecutionId = executionId;
        row.startedAt = started;
        row.endedAt = Instant.now();
        return row;
    }

    /**
     * Records how the call ended, if the row is still this execution's: after a takeover the new owner's attempt
     * holds the row, and a stale execution's late outcome changes nothing.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void finish(long rowId, long executionId, ToolCallRecord.State state, String result, String error) {
        try {
            Jdbc.autoCommitted(dataSource, c -> {
                try (PreparedStatement update = c.prepareStatement(FINISH)) {
                    update.setString(1, state.name());
                    Jdbc.setString(update, 2, result);
                    Jdbc.setString(update, 3, error == null || error.length() <= 4000 ? error : error.substring(0, 4000));
                    Jdbc.setInstant(update, 4, Instant.now());
                    update.setLong(5, rowId);
                    update.setLong(6, executionId);
                    return update.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("could not record the end of tool call row " + rowId + " (" + state + ")", e);
        }
    }

    private static Optional<ToolCallRecord> select(Connection c, long taskId, int iteration, String toolCallId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setLong(1, taskId);
            s.setInt(2, iteration);
            s.setString(3, toolCallId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(row(r)) : Optional.empty();
            }
        }
    }

    private static ToolCallRecord row(ResultSet r) throws SQLException {
        ToolCallRecord row = new ToolCallRecord();
        row.id = r.getLong("ID");
        row.taskId = r.getLong("TASK_ID");
        row.iteration = r.getInt("ITERATION");
        row.toolCallId = r.getString("TOOL_CALL_ID");
        row.toolName = r.getString("TOOL_NAME");
        row.arguments = r.getString("ARGUMENTS");
        row.idempotencyKey = r.getString("IDEMPOTENCY_KEY");
        row.state = ToolCallRecord.State.valueOf(r.getString("STATE"));
        row.result = r.getString("RESULT");
        row.error = r.getString("ERROR");
        row.attempts = r.getInt("ATTEMPTS");
        row.inDoubt = r.getBoolean("IN_DOUBT");
        row.jobExecutionId = Jdbc.getLong(r, "JOB_EXECUTION_ID");
        row.startedAt = Jdbc.getInstant(r, "STARTED_AT");
        row.endedAt = Jdbc.getInstant(r, "ENDED_AT");
        String approval = r.getString("APPROVAL");
        row.approval = approval == null ? null : ToolCallRecord.Approval.valueOf(approval);
        row.approvalExecutionId = Jdbc.getLong(r, "APPROVAL_EXECUTION_ID");
        row.approvalRequestedAt = Jdbc.getInstant(r, "APPROVAL_REQUESTED_AT");
        row.approvalDeadline = Jdbc.getInstant(r, "APPROVAL_DEADLINE");
        row.decidedBy = r.getString("DECIDED_BY");
        row.decidedAt = Jdbc.getInstant(r, "DECIDED_AT");
        row.decisionReason = r.getString("DECISION_REASON");
        return row;
    }

    /** Keeps the SQL error (its SQLSTATE tells an unreachable database from bad data) as the cause. */
    private static PersistenceException failure(String what, SQLException e) {
        return new PersistenceException(what + ": " + e.getMessage(), e);
    }

    /** A no-op update that holds the task's row lock until the ledger transaction commits: the epoch fence. */
    private static final String FENCE = "update AGENT_TASK set EPOCH = EPOCH where ID = ? and EPOCH = ?";

    private static final String SELECT = "select ID, TASK_ID, ITERATION, TOOL_CALL_ID, TOOL_NAME, ARGUMENTS, IDEMPOTENCY_KEY,"
            + " STATE, RESULT, ERROR, ATTEMPTS, IN_DOUBT, JOB_EXECUTION_ID, STARTED_AT, ENDED_AT, APPROVAL,"
            + " APPROVAL_EXECUTION_ID, APPROVAL_REQUESTED_AT, APPROVAL_DEADLINE, DECIDED_BY, DECIDED_AT, DECISION_REASON"
            + " from AGENT_TOOL_LEDGER where TASK_ID = ? and ITERATION = ? and TOOL_CALL_ID = ?";

    private static final String INSERT_STARTED = "insert into AGENT_TOOL_LEDGER (TASK_ID, ITERATION, TOOL_CALL_ID, TOOL_NAME,"
            + " ARGUMENTS, IDEMPOTENCY_KEY, STATE, ATTEMPTS, IN_DOUBT, JOB_EXECUTION_ID, STARTED_AT)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String RESTART = "update AGENT_TOOL_LEDGER set STATE = ?, ATTEMPTS = ?, IN_DOUBT = ?,"
            + " JOB_EXECUTION_ID = ?, STARTED_AT = ?, ENDED_AT = null where ID = ?";

    private static final String FINISH = "update AGENT_TOOL_LEDGER set STATE = ?, RESULT = ?, ERROR = ?, ENDED_AT = ?"
            + " where ID = ? and JOB_EXECUTION_ID = ?";
}
