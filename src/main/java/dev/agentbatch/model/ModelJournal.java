package dev.agentbatch.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.agentbatch.config.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Never pay twice for a model answer: it is stored in its own transaction the moment it is received,
 * so a rollback of the chunk, a retry or a crash replays it instead of calling the model again.
 */
@ApplicationScoped
public class ModelJournal {

    @PersistenceContext
    EntityManager em;

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

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(long taskId, int iteration, long executionId, String model, ModelTurn turn, long latencyMs,
                       String contextTrimmed) {
        ModelCall call = new ModelCall();
        call.taskId = taskId;
        call.iteration = iteration;
        call.jobExecutionId = executionId;
        call.model = model;
        call.response = Json.write(turn.message());
        call.promptTokens = turn.usage().promptTokens();
        call.completionTokens = turn.usage().completionTokens();
        call.latencyMs = latencyMs;
        call.contextTrimmed = contextTrimmed;
        call.createdAt = Instant.now();
        em.persist(call);
    }

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
