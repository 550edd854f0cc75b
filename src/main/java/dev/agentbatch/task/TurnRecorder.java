package dev.agentbatch.task;

import java.time.Instant;
import java.util.List;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.Usage;
import dev.agentbatch.tools.ToolCallRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

/**
 * Commits one iteration inside the chunk transaction, fenced: the task must still be at the epoch the
 * execution started with and at the previous iteration, or nothing is written and the chunk rolls back.
 * Every row records the execution and epoch that wrote it.
 */
@ApplicationScoped
public class TurnRecorder {

    @PersistenceContext
    EntityManager em;

    @Inject
    TaskStore store;
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
        // native SQL, synchronized with AgentTask only: an HQL update is translated again on every execution, and a
        // native statement without a query space flushes the whole persistence context (the profile's top frames)
        int updated = em.createNativeQuery("update AGENT_TASK set ITERATIONS = ?1, PROMPT_TOKENS = PROMPT_TOKENS + ?2,"
                        + " COMPLETION_TOKENS = COMPLETION_TOKENS + ?3, TOOL_FAILURES = TOOL_FAILURES + ?4, RESULT = ?5,"
                        + " UPDATED_AT = ?6 where ID = ?7 and EPOCH = ?8 and ITERATIONS = ?9")
                .unwrap(NativeQuery.class).addSynchronizedEntityClass(AgentTask.class)
                .setParameter(1, it.iteration()).setParameter(2, it.usage().promptTokens())
                .setParameter(3, it.usage().completionTokens()).setParameter(4, it.toolFailures())
                .setParameter(5, it.assistant().isFinalAnswer() ? it.assistant().content() : null, StandardBasicTypes.STRING)
                .setParameter(6, now).setParameter(7, it.taskId()).setParameter(8, it.epoch())
                .setParameter(9, it.iteration() - 1)
                .executeUpdate();
        if (updated != 1) {
            return false;
        }
        TaskMessage turn = store.append(it.taskId(), it.iteration(), 0, it.assistant(), false, now);
        turn.jobExecutionId = it.executionId();
        turn.epoch = it.epoch();
        turn.replayed = it.replayed();
        turn.durationMs = it.durationMs();
        turn.promptTokens = it.usage().promptTokens();
        turn.completionTokens = it.usage().completionTokens();
        int seq = 1;
        for (ToolMessage tool : it.tools()) {
            TaskMessage row = store.append(it.taskId(), it.iteration(), seq++, tool.message(), tool.inDoubt(), now);
            row.jobExecutionId = it.executionId();
            row.epoch = it.epoch();
            row.reused = tool.reused();
        }
        if (it.heldForApproval() && !it.ledgerRows().isEmpty()) {
            // calls of a turn that waited for an approval were held as WAITING rows; these replace them
            em.createQuery("delete from ToolCallRecord r where r.taskId = :t and r.iteration = :i and r.state = :waiting")
                    .setParameter("t", it.taskId()).setParameter("i", it.iteration())
                    .setParameter("waiting", ToolCallRecord.State.WAITING).executeUpdate();
        }
        it.ledgerRows().forEach(em::persist);
        events.publish(TaskEvent.iteration(it.taskId(), it.iteration(), it.executionId(), it.usage().totalTokens()));
        return true;
    }
}
