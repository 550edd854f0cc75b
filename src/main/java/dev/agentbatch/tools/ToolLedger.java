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
 * a rollback of the chunk and a crash: a STARTED row found later is an effect in doubt. The STARTED row is written
 * under the task's epoch fence, so a stale execution (one a newer execution took the task from) is stopped before
 * its effect, not only at its commit.
 */
@ApplicationScoped
public class ToolLedger {

    /** Thrown by {@link #begin} when the task is no longer at the caller's epoch. */
    public static class Fenced extends RuntimeException {
        public Fenced(String message) {
            super(message);
        }
    }

    @PersistenceContext
    EntityManager em;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<ToolCallRecord> find(long taskId, int iteration, String toolCallId) {
        return rows(taskId, iteration, toolCallId).stream().findFirst();
    }

    private List<ToolCallRecord> rows(long taskId, int iteration, String toolCallId) {
        return em.createQuery("select r from ToolCallRecord r where r.taskId = :t"
                        + " and r.iteration = :i and r.toolCallId = :c", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("i", iteration).setParameter("c", toolCallId)
                .getResultList();
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
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ToolCallRecord begin(long taskId, int epoch, int iteration, ToolCall call, long executionId, boolean gated) {
        int owned = em.createQuery("update AgentTask t set t.epoch = t.epoch where t.id = :id and t.epoch = :epoch")
                .setParameter("id", taskId).setParameter("epoch", epoch).executeUpdate();
        if (owned != 1) {
            throw new Fenced("task " + taskId + " is no longer at epoch " + epoch + ": a newer execution carries it;"
                    + " the tool call " + call.id() + " was not started");
        }
        List<ToolCallRecord> rows = rows(taskId, iteration, call.id());
        if (gated && (rows.isEmpty() || rows.get(0).approval != ToolCallRecord.Approval.APPROVED)) {
            throw new IllegalStateException("the gated call " + call.id() + " of task " + taskId + " is not approved ("
                    + (rows.isEmpty() ? "no request" : rows.get(0).approval) + "); it is not started");
        }
        ToolCallRecord row = rows.isEmpty() ? new ToolCallRecord() : rows.get(0);
        if (rows.isEmpty()) {
            row.taskId = taskId;
            row.iteration = iteration;
            row.toolCallId = call.id();
            row.toolName = call.name();
            row.arguments = call.arguments();
            row.idempotencyKey = ToolContext.idempotencyKey(taskId, iteration, call.id());
        } else if (row.state == ToolCallRecord.State.STARTED || row.state == ToolCallRecord.State.IN_DOUBT) {
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

    /**
     * Records how the call ended, if the row is still this execution's: after a takeover the new owner's attempt
     * holds the row, and a stale execution's late outcome changes nothing.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long rowId, long executionId, ToolCallRecord.State state, String result, String error) {
        em.createQuery("update ToolCallRecord r set r.state = :s, r.result = :r, r.error = :e, r.endedAt = :now"
                        + " where r.id = :id and r.jobExecutionId = :exec")
                .setParameter("s", state).setParameter("r", result)
                .setParameter("e", error == null || error.length() <= 4000 ? error : error.substring(0, 4000))
                .setParameter("now", Instant.now()).setParameter("id", rowId).setParameter("exec", executionId)
                .executeUpdate();
    }
}
