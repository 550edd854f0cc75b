package dev.agentbatch.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.agentbatch.config.Jdbc;
import dev.agentbatch.config.Json;
import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.Usage;
import dev.agentbatch.tools.ToolCallRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

/**
 * Commits one iteration inside the chunk transaction, fenced: the task must still be at the epoch the
 * execution started with and at the previous iteration, or nothing is written and the chunk rolls back.
 * Every row records the execution and epoch that wrote it, and the iteration's event is written with them.
 */
@ApplicationScoped
public class TurnRecorder {

    @PersistenceContext
    EntityManager em;

    @Inject
    EventLog events;

    /** One tool message to append: whether its effect was in doubt, and whether it was reused from the ledger. */
    public record ToolMessage(ChatMessage message, boolean inDoubt, boolean reused) {
    }

    /**
     * One iteration as the writer hands it over.
     *
     * @param replayed the model's answer came from the journal (not paid again)
     * @param ledgerRows finished ledger rows of calls that needed no ledger transactions of their own
     * @param heldForApproval the turn waited at the approval gate: its calls were held as WAITING rows
     */
    public record Iteration(long taskId, long executionId, int epoch, int iteration, ChatMessage assistant,
                            boolean replayed, long durationMs, Usage usage, List<ToolMessage> tools,
                            List<ToolCallRecord> ledgerRows, int toolFailures, boolean heldForApproval) {
    }

    /**
     * @return false when the task moved on without this execution (another epoch or iteration): nothing written
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(Iteration it) {
        Instant now = Instant.now();
        // plain JDBC on the session's own connection (enlisted in the chunk transaction), no entities: the iteration's
        // rows are written once and never changed, so a persistence context (identity inserts one by one, a snapshot
        // and a dirty check of each row at the flush) is pure cost here. Readers map the same rows with Hibernate.
        TaskEvent event = TaskEvent.iteration(it.taskId(), it.iteration(), it.executionId(), it.usage().totalTokens());
        boolean written = em.unwrap(Session.class).doReturningWork(c -> write(c, it, now) && insertEvent(c, event));
        if (written) {
            events.announce(event);
        }
        return written;
    }

    private boolean insertEvent(Connection c, TaskEvent event) throws SQLException {
        events.insert(c, event);
        return true;
    }

    /**
     * The fenced update of the task (its row lock orders everything after it), then the transcript rows and the ledger
     * rows, each table in one JDBC batch.
     */
    private static boolean write(Connection c, Iteration it, Instant now) throws SQLException {
        try (PreparedStatement task = c.prepareStatement(UPDATE_TASK)) {
            task.setInt(1, it.iteration());
            task.setLong(2, it.usage().promptTokens());
            task.setLong(3, it.usage().completionTokens());
            task.setInt(4, it.toolFailures());
            Jdbc.setString(task, 5, it.assistant().isFinalAnswer() ? it.assistant().content() : null);
            Jdbc.setInstant(task, 6, now);
            task.setLong(7, it.taskId());
            task.setInt(8, it.epoch());
            task.setInt(9, it.iteration() - 1);
            if (task.executeUpdate() != 1) {
                return false;
            }
        }
        try (PreparedStatement messages = c.prepareStatement(INSERT_MESSAGE)) {
            addMessage(messages, it, 0, it.assistant(), false, null, now);
            int seq = 1;
            for (ToolMessage tool : it.tools()) {
                addMessage(messages, it, seq++, tool.message(), tool.inDoubt(), tool.reused(), now);
            }
            messages.executeBatch();
        }
        if (it.heldForApproval() && !it.ledgerRows().isEmpty()) {
            // calls of a turn that waited for an approval were held as WAITING rows; the rows below replace them
            try (PreparedStatement waiting = c.prepareStatement(DELETE_WAITING)) {
                waiting.setLong(1, it.taskId());
                waiting.setInt(2, it.iteration());
                waiting.setString(3, ToolCallRecord.State.WAITING.name());
                waiting.executeUpdate();
            }
        }
        if (!it.ledgerRows().isEmpty()) {
            try (PreparedStatement ledger = c.prepareStatement(INSERT_LEDGER)) {
                for (ToolCallRecord r : it.ledgerRows()) {
                    addLedgerRow(ledger, r);
                }
                ledger.executeBatch();
            }
        }
        return true;
    }

    private static final String UPDATE_TASK = "update AGENT_TASK set ITERATIONS = ?, PROMPT_TOKENS = PROMPT_TOKENS + ?,"
            + " COMPLETION_TOKENS = COMPLETION_TOKENS + ?, TOOL_FAILURES = TOOL_FAILURES + ?, RESULT = ?, UPDATED_AT = ?"
            + " where ID = ? and EPOCH = ? and ITERATIONS = ?";

    private static final String INSERT_MESSAGE = "insert into AGENT_MESSAGE (TASK_ID, ITERATION, SEQ, ROLE, CONTENT,"
            + " TOOL_CALLS, TOOL_CALL_ID, TOOL_NAME, IN_DOUBT, JOB_EXECUTION_ID, EPOCH, REPLAYED, REUSED, DURATION_MS,"
            + " PROMPT_TOKENS, COMPLETION_TOKENS, CREATED_AT) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String DELETE_WAITING = "delete from AGENT_TOOL_LEDGER where TASK_ID = ? and ITERATION = ?"
            + " and STATE = ?";

    private static final String INSERT_LEDGER = "insert into AGENT_TOOL_LEDGER (TASK_ID, ITERATION, TOOL_CALL_ID,"
            + " TOOL_NAME, ARGUMENTS, IDEMPOTENCY_KEY, STATE, RESULT, ERROR, ATTEMPTS, IN_DOUBT, JOB_EXECUTION_ID,"
            + " STARTED_AT, ENDED_AT) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** One transcript row, as {@link TaskMessage} maps it: the model's turn (seq 0) carries the iteration's figures. */
    private static void addMessage(PreparedStatement s, Iteration it, int seq, ChatMessage message, boolean inDoubt,
                                   Boolean reused, Instant now) throws SQLException {
        boolean turn = seq == 0;
        s.setLong(1, it.taskId());
        s.setInt(2, it.iteration());
        s.setInt(3, seq);
        s.setString(4, message.role().wireName());
        Jdbc.setString(s, 5, message.content());
        Jdbc.setString(s, 6, message.toolCalls().isEmpty() ? null : Json.write(message.toolCalls()));
        Jdbc.setString(s, 7, message.toolCallId());
        Jdbc.setString(s, 8, message.toolName());
        s.setBoolean(9, inDoubt);
        s.setLong(10, it.executionId());
        s.setInt(11, it.epoch());
        Jdbc.setBoolean(s, 12, turn ? it.replayed() : null);
        Jdbc.setBoolean(s, 13, reused);
        Jdbc.setLong(s, 14, turn ? it.durationMs() : null);
        Jdbc.setLong(s, 15, turn ? it.usage().promptTokens() : null);
        Jdbc.setLong(s, 16, turn ? it.usage().completionTokens() : null);
        Jdbc.setInstant(s, 17, now);
        s.addBatch();
    }

    /** A finished ledger row of a call that needed no ledger transaction of its own ({@code ToolLedger.record}). */
    private static void addLedgerRow(PreparedStatement s, ToolCallRecord r) throws SQLException {
        s.setLong(1, r.taskId);
        s.setInt(2, r.iteration);
        s.setString(3, r.toolCallId);
        s.setString(4, r.toolName);
        Jdbc.setString(s, 5, r.arguments);
        s.setString(6, r.idempotencyKey);
        s.setString(7, r.state.name());
        Jdbc.setString(s, 8, r.result);
        Jdbc.setString(s, 9, r.error);
        s.setInt(10, r.attempts);
        s.setBoolean(11, r.inDoubt);
        Jdbc.setLong(s, 12, r.jobExecutionId);
        Jdbc.setInstant(s, 13, r.startedAt);
        Jdbc.setInstant(s, 14, r.endedAt);
        s.addBatch();
    }
}
