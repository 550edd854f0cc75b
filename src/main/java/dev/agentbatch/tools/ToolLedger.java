package dev.agentbatch.tools;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.agentbatch.model.ToolCall;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Effectively-once tool calls. Each write is its own transaction so that what the ledger says survives
 * a rollback of the chunk and a crash: a STARTED row found later is an effect in doubt.
 */
@ApplicationScoped
public class ToolLedger {

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ToolCallRecord> find(long taskId, int iteration, String toolCallId) {
        List<ToolCallRecord> rows = em.createQuery("select r from ToolCallRecord r where r.taskId = :t"
                        + " and r.iteration = :i and r.toolCallId = :c", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("i", iteration).setParameter("c", toolCallId)
                .getResultList();
        return rows.stream().findFirst();
    }

    /**
     * Records that the call is about to run. A row left STARTED by an earlier attempt means that attempt may
     * have had its effect: the new attempt is marked in doubt and reuses the same idempotency key.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ToolCallRecord begin(long taskId, int iteration, ToolCall call, long executionId) {
        List<ToolCallRecord> rows = em.createQuery("select r from ToolCallRecord r where r.taskId = :t"
                        + " and r.iteration = :i and r.toolCallId = :c", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("i", iteration).setParameter("c", call.id())
                .getResultList();
        ToolCallRecord row = rows.isEmpty() ? new ToolCallRecord() : rows.get(0);
        if (rows.isEmpty()) {
            row.taskId = taskId;
            row.iteration = iteration;
            row.toolCallId = call.id();
            row.toolName = call.name();
            row.arguments = call.arguments();
            row.idempotencyKey = ToolContext.idempotencyKey(taskId, iteration, call.id());
        } else if (row.state == ToolCallRecord.State.STARTED) {
            row.inDoubt = true;
        }
        row.state = ToolCallRecord.State.STARTED;
        row.attempts++;
        row.jobExecutionId = executionId;
        row.startedAt = Instant.now();
        row.endedAt = null;
        if (rows.isEmpty()) {
            em.persist(row);
        }
        return row;
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

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long rowId, ToolCallRecord.State state, String result, String error) {
        ToolCallRecord row = em.find(ToolCallRecord.class, rowId);
        row.state = state;
        row.result = result;
        row.error = error;
        row.endedAt = Instant.now();
    }
}
