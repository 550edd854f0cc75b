package dev.agentbatch.task;

import java.time.Instant;
import java.util.List;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.Usage;
import dev.agentbatch.tools.ToolCallRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Commits one iteration inside the chunk transaction, fenced: the task must still be at the epoch the
 * execution started with and at the previous iteration, or nothing is written and the chunk rolls back.
 */
@ApplicationScoped
public class TurnRecorder {

    @PersistenceContext
    EntityManager em;

    @Inject
    TaskStore store;
    @Inject
    Event<TaskEvent> events;

    /** One tool message to append, with whether its effect was in doubt. */
    public record ToolMessage(ChatMessage message, boolean inDoubt) {
    }

    /**
     * @return false when the task moved on without this execution (another epoch or iteration): nothing written
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(long taskId, long executionId, int epoch, int iteration, ChatMessage assistant,
                          List<ToolMessage> tools, List<ToolCallRecord> ledgerRows, Usage usage, int toolFailures) {
        Instant now = Instant.now();
        int updated = em.createQuery("update AgentTask t set t.iterations = :n,"
                        + " t.promptTokens = t.promptTokens + :p, t.completionTokens = t.completionTokens + :c,"
                        + " t.toolFailures = t.toolFailures + :f, t.result = :r, t.updatedAt = :now"
                        + " where t.id = :id and t.epoch = :epoch and t.iterations = :prev")
                .setParameter("n", iteration).setParameter("p", usage.promptTokens())
                .setParameter("c", usage.completionTokens()).setParameter("f", toolFailures)
                .setParameter("r", assistant.isFinalAnswer() ? assistant.content() : null)
                .setParameter("now", now).setParameter("id", taskId).setParameter("epoch", epoch)
                .setParameter("prev", iteration - 1)
                .executeUpdate();
        if (updated != 1) {
            return false;
        }
        store.append(taskId, iteration, 0, assistant, false, now);
        int seq = 1;
        for (ToolMessage tool : tools) {
            store.append(taskId, iteration, seq++, tool.message(), tool.inDoubt(), now);
        }
        ledgerRows.forEach(em::persist);
        events.fire(TaskEvent.iteration(taskId, iteration, executionId, usage.totalTokens()));
        return true;
    }
}
