package dev.agentbatch.model;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import dev.agentbatch.config.Jdbc;
import dev.agentbatch.config.Json;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/**
 * Never pay twice for a model answer: it is stored in its own transaction the moment it is received,
 * so a rollback of the chunk, a retry or a crash replays it instead of calling the model again.
 */
@ApplicationScoped
public class ModelJournal {

    @PersistenceContext
    EntityManager em;
    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    /** Read outside the chunk transaction, so that it holds no connection during the model call. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<ModelTurn> find(long taskId, int iteration) {
        List<ModelCall> calls = em.createQuery(
                        "select c from ModelCall c where c.taskId = :t and c.iteration = :i", ModelCall.class)
                .setParameter("t", taskId).setParameter("i", iteration)
                .getResultList();
        return calls.stream().findFirst().map(c -> new ModelTurn(
                Json.read(c.response, ChatMessage.class), new Usage(c.promptTokens, c.completionTokens)));
    }

    /**
     * The answers journaled after {@code iteration}, by iteration: what a restarted execution replays instead of
     * asking again. Read once when the agent loop opens (usually nothing), not before every model call.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public java.util.Map<Integer, ModelTurn> after(long taskId, int iteration) {
        java.util.Map<Integer, ModelTurn> turns = new java.util.HashMap<>();
        for (ModelCall c : em.createQuery("select c from ModelCall c where c.taskId = :t and c.iteration > :i",
                ModelCall.class).setParameter("t", taskId).setParameter("i", iteration).getResultList()) {
            turns.put(c.iteration, new ModelTurn(Json.read(c.response, ChatMessage.class),
                    new Usage(c.promptTokens, c.completionTokens)));
        }
        return turns;
    }

    /**
     * Journals the answer in a database transaction of its own: one INSERT on a connection taken outside the chunk's
     * transaction (suspended here) and committed on its own, so it stays whatever the chunk does. Plain JDBC: a JTA
     * transaction and a persistence context for one row written once were most of this call's cost.
     *
     * @throws PersistenceException when the row could not be written; a unique violation (SQLSTATE 23505) in its causes
     *         means another execution journaled this iteration first
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public void record(long taskId, int iteration, long executionId, String model, ModelTurn turn, long latencyMs,
                       String contextTrimmed) {
        try {
            Jdbc.autoCommitted(dataSource, c -> insert(c, taskId, iteration, executionId, model, turn, latencyMs, contextTrimmed));
        } catch (SQLException e) {
            throw new PersistenceException("could not journal the model's answer of task " + taskId + " iteration "
                    + iteration + ": " + e.getMessage(), e);
        }
    }

    private static int insert(Connection c, long taskId, int iteration, long executionId, String model, ModelTurn turn,
                              long latencyMs, String contextTrimmed) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setLong(1, taskId);
            s.setInt(2, iteration);
            s.setLong(3, executionId);
            Jdbc.setString(s, 4, model);
            s.setString(5, Json.write(turn.message()));
            s.setLong(6, turn.usage().promptTokens());
            s.setLong(7, turn.usage().completionTokens());
            s.setLong(8, latencyMs);
            Jdbc.setString(s, 9, contextTrimmed);
            Jdbc.setInstant(s, 10, Instant.now());
            return s.executeUpdate();
        }
    }

    private static final String INSERT = "insert into AGENT_MODEL_CALL (TASK_ID, ITERATION, JOB_EXECUTION_ID, MODEL,"
            + " RESPONSE, PROMPT_TOKENS, COMPLETION_TOKENS, LATENCY_MS, CONTEXT_TRIMMED, CREATED_AT)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** What each paid request of the task left out to fit the model's context, by iteration (only those that did). */
    public java.util.Map<Integer, String> contextTrimmed(long taskId) {
        java.util.Map<Integer, String> notes = new java.util.HashMap<>();
        for (Object[] r : em.createQuery("select c.iteration, c.contextTrimmed from ModelCall c where c.taskId = :t"
                + " and c.contextTrimmed is not null", Object[].class).setParameter("t", taskId).getResultList()) {
            notes.put((Integer) r[0], (String) r[1]);
        }
        return notes;
    }

    /** How many times the model was paid for this task (operators and tests compare it with iterations). */
    public long countCalls(long taskId) {
        return em.createQuery("select count(c) from ModelCall c where c.taskId = :t", Long.class)
                .setParameter("t", taskId).getSingleResult();
    }
}
