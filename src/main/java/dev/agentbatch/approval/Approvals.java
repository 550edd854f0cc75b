package dev.agentbatch.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

import dev.agentbatch.config.ClusterSignals;
import dev.agentbatch.config.Json;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.ops.AgentMetrics;
import dev.agentbatch.security.AuditLog;
import dev.agentbatch.security.SystemIdentity;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.ApiProblem;
import dev.agentbatch.task.EventLog;
import dev.agentbatch.task.TaskEvent;
import dev.agentbatch.task.TaskState;
import dev.agentbatch.tools.ToolCallRecord;
import dev.agentbatch.tools.ToolCallRecord.Approval;
import dev.agentbatch.tools.ToolCallRecord.State;
import dev.agentbatch.tools.ToolContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * The approval requests and decisions, kept in the tool ledger: a gated call's row is its request (AWAITING_APPROVAL,
 * approval PENDING) and then the record of who decided, when and why. Every write that can end a wait locks the
 * task's row first (the order every ledger write follows), so a decision and the end of the execution that asked for
 * it never miss each other: whichever commits second sees the other and queues the task.
 */
@ApplicationScoped
public class Approvals {

    private static final Logger LOG = Logger.getLogger(Approvals.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    EventLog events;
    @Inject
    ClusterSignals signals;
    @Inject
    AuditLog audit;
    @Inject
    AgentMetrics metrics;

    /** A decision a person (or the timeout) made. */
    public enum Decision {
        APPROVE, DENY;

        public static Decision parse(String text) {
            if (text != null) {
                switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "approve", "approved" -> {
                        return APPROVE;
                    }
                    case "deny", "denied" -> {
                        return DENY;
                    }
                    default -> {
                    }
                }
            }
            throw ApiProblem.invalid("\"decision\" must be \"approve\" or \"deny\", got " + (text == null ? "nothing" : "'" + text + "'"));
        }
    }

    /** What {@link #decide} did: the row as decided, and whether the task went back to the queue with it. */
    public record Decided(ToolCallRecord call, boolean resumed) {
    }

    /** The ledger rows of a turn's gated calls, by tool-call id; read outside any transaction. */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Map<String, ToolCallRecord> gatedRows(long taskId, int iteration) {
        Map<String, ToolCallRecord> rows = new LinkedHashMap<>();
        for (ToolCallRecord r : em.createQuery("select r from ToolCallRecord r where r.taskId = :t and r.iteration = :i"
                + " and r.approval is not null", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("i", iteration).getResultList()) {
            rows.put(r.toolCallId, r);
        }
        return rows;
    }

    /**
     * The gate: records the approval requests of a turn's gated calls (AWAITING_APPROVAL) and holds its other calls
     * with them (WAITING), insert-if-absent, so a second execution that reaches the same gate (a jboss-cli restart, a
     * recovery) asks nothing twice. Fenced like every ledger write: only the execution that carries the task at
     * {@code epoch} may write.
     *
     * @return the gated calls still undecided: empty when every one was decided meanwhile (the turn may run)
     * @throws dev.agentbatch.tools.ToolLedger.Fenced when a newer execution carries the task
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<ToolCallRecord> hold(long taskId, int epoch, long executionId, int iteration, List<ToolCall> calls,
                                     List<ToolCall> gated, Duration timeout) {
        int owned = em.createQuery("update AgentTask t set t.epoch = t.epoch where t.id = :id and t.epoch = :epoch")
                .setParameter("id", taskId).setParameter("epoch", epoch).executeUpdate();
        if (owned != 1) {
            throw new dev.agentbatch.tools.ToolLedger.Fenced("task " + taskId + " is no longer at epoch " + epoch
                    + ": a newer execution carries it; no approval was asked");
        }
        Map<String, ToolCallRecord> existing = new LinkedHashMap<>();
        for (ToolCallRecord r : em.createQuery("select r from ToolCallRecord r where r.taskId = :t and r.iteration = :i",
                ToolCallRecord.class).setParameter("t", taskId).setParameter("i", iteration).getResultList()) {
            existing.put(r.toolCallId, r);
        }
        Instant now = Instant.now();
        List<ToolCallRecord> pending = new ArrayList<>();
        for (ToolCall call : calls) {
            boolean isGated = gated.stream().anyMatch(g -> g.id().equals(call.id()));
            ToolCallRecord row = existing.get(call.id());
            if (row == null) {
                row = new ToolCallRecord();
                row.taskId = taskId;
                row.iteration = iteration;
                row.toolCallId = call.id();
                row.toolName = call.name();
                row.arguments = call.arguments();
                row.idempotencyKey = ToolContext.idempotencyKey(taskId, iteration, call.id());
                row.state = isGated ? State.AWAITING_APPROVAL : State.WAITING;
                row.jobExecutionId = executionId;
                if (isGated) {
                    row.approval = Approval.PENDING;
                    row.approvalExecutionId = executionId;
                    row.approvalRequestedAt = now;
                    row.approvalDeadline = timeout == null ? null : now.plus(timeout);
                    metrics.approval("requested");
                }
                em.persist(row);
            }
            if (isGated && row.approval == Approval.PENDING) {
                pending.add(row);
            }
        }
        return pending;
    }

    /**
     * Records a decision on the call {@code toolCallId} of the task, once (a second decision is a 409), and, when it was
     * the last undecided call of a task that waits, puts the task back in the queue, in the same transaction.
     */
    @Transactional
    public Decided decide(long taskId, String toolCallId, Decision decision, String reason, String user) {
        AgentTask task = em.find(AgentTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        if (task == null) {
            throw ApiProblem.notFound(taskId);
        }
        ToolCallRecord row = latestGated(taskId, toolCallId);
        if (row == null) {
            throw ApiProblem.of(404, "no-such-approval", "No such approval",
                    "task " + taskId + " has no tool call '" + toolCallId + "' that needs an approval");
        }
        Approval outcome = decision == Decision.APPROVE ? Approval.APPROVED : Approval.DENIED;
        if (!record(row.id, outcome, user, reason)) {
            em.refresh(row);
            throw ApiProblem.conflict("already-decided", "Already decided", "the call " + toolCallId + " (" + row.toolName
                    + ") of task " + taskId + " was already decided: " + row.approval + " by " + row.decidedBy + " at "
                    + row.decidedAt + (row.decisionReason == null ? "" : " (" + row.decisionReason + ")"));
        }
        em.refresh(row);
        audit.record(taskId, decision == Decision.APPROVE ? "APPROVE" : "DENY", user, row.toolName + " " + toolCallId
                + " (iteration " + row.iteration + ")" + (reason == null || reason.isBlank() ? "" : ": " + reason));
        boolean resumed = resumeIfDecided(task);
        LOG.info(() -> "[task " + taskId + " exec " + row.approvalExecutionId + "] " + row.toolName + " (" + toolCallId
                + ") " + outcome + " by " + user + (resumed ? "; every gated call decided: back to the queue" : ""));
        return new Decided(row, resumed);
    }

    /** A stop ends the wait: every undecided call of the task is denied, reason {@code reason}. Called with the task locked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int denyPending(long taskId, String user, String reason) {
        int denied = 0;
        for (ToolCallRecord row : pendingRows(taskId)) {
            denied += record(row.id, Approval.DENIED, user, reason) ? 1 : 0;
        }
        return denied;
    }

    /** The calls whose approval deadline has passed and that are still undecided (at most {@code limit}). */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public List<ToolCallRecord> overdue(int limit) {
        return em.createQuery("select r from ToolCallRecord r where r.approval = :p and r.approvalDeadline < :now"
                        + " order by r.approvalDeadline", ToolCallRecord.class)
                .setParameter("p", Approval.PENDING).setParameter("now", Instant.now()).setMaxResults(limit).getResultList();
    }

    /**
     * Denies an overdue call, reason "timed out", and queues its task if it was the last undecided one. Any node may
     * call it at any time: the decision is a compare-and-set on the row, so exactly one node acts on each timeout.
     *
     * @return whether this call timed it out (false: decided meanwhile, here or on another node)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean timeOut(long taskId, String toolCallId) {
        AgentTask task = em.find(AgentTask.class, taskId, LockModeType.PESSIMISTIC_WRITE);
        ToolCallRecord row = latestGated(taskId, toolCallId);
        if (task == null || row == null || row.approval != Approval.PENDING
                || !record(row.id, Approval.TIMED_OUT, SystemIdentity.NAME, "timed out")) {
            return false; // decided meanwhile, here or on another node
        }
        audit.record(taskId, "TIMEOUT", SystemIdentity.NAME, row.toolName + " " + toolCallId + " (iteration "
                + row.iteration + "): no decision by " + row.approvalDeadline + "; denied");
        boolean resumed = resumeIfDecided(task);
        LOG.info(() -> "[task " + taskId + " exec " + row.approvalExecutionId + "] " + row.toolName + " (" + toolCallId
                + ") timed out waiting for approval (deadline " + row.approvalDeadline + "): denied"
                + (resumed ? "; back to the queue" : ""));
        return true;
    }

    /** The compare-and-set of every decision: only an undecided row is decided. */
    private boolean record(long rowId, Approval outcome, String user, String reason) {
        Instant now = Instant.now();
        boolean decided = em.createQuery("update ToolCallRecord r set r.approval = :a, r.state = :s, r.decidedBy = :by,"
                        + " r.decidedAt = :now, r.decisionReason = :why where r.id = :id and r.approval = :pending")
                .setParameter("a", outcome).setParameter("s", outcome == Approval.APPROVED ? State.APPROVED : State.DENIED)
                .setParameter("by", user == null ? "anonymous" : user).setParameter("now", now)
                .setParameter("why", reason == null || reason.isBlank() ? null : abbreviate(reason.trim(), 2000))
                .setParameter("id", rowId).setParameter("pending", Approval.PENDING).executeUpdate() == 1;
        if (decided) {
            Instant requested = em.createQuery("select r.approvalRequestedAt from ToolCallRecord r where r.id = :id",
                    Instant.class).setParameter("id", rowId).getSingleResult();
            metrics.approval(switch (outcome) {
                case APPROVED -> "approved";
                case TIMED_OUT -> "timed_out";
                default -> "denied";
            });
            metrics.approvalDecision(Duration.between(requested, now));
        }
        return decided;
    }

    /**
     * With the task's row locked: a task that waits and has no undecided call left goes back to the queue
     * (RESTART_PENDING), where it resumes from its checkpoint and replays the turn as decided.
     */
    private boolean resumeIfDecided(AgentTask task) {
        if (countPending(task.id) > 0) {
            return false;
        }
        Instant now = Instant.now();
        boolean queued = em.createQuery("update AgentTask t set t.state = :queued, t.jobExecutionId = null, t.nodeId = null,"
                        + " t.claimedBy = null, t.claimedAt = null, t.exitStatus = null, t.error = null, t.queuedAt = :now,"
                        + " t.updatedAt = :now where t.id = :id and t.state = :awaiting")
                .setParameter("queued", TaskState.RESTART_PENDING).setParameter("now", now).setParameter("id", task.id)
                .setParameter("awaiting", TaskState.AWAITING_APPROVAL).executeUpdate() == 1;
        if (queued) {
            events.publish(TaskEvent.state(task.id, TaskState.RESTART_PENDING, null, null));
            signals.queueChanged();
        }
        return queued;
    }

    public long countPending(long taskId) {
        return em.createQuery("select count(r) from ToolCallRecord r where r.taskId = :t and r.approval = :p", Long.class)
                .setParameter("t", taskId).setParameter("p", Approval.PENDING).getSingleResult();
    }

    /** The undecided calls of a task, oldest first. */
    public List<ToolCallRecord> pendingRows(long taskId) {
        return em.createQuery("select r from ToolCallRecord r where r.taskId = :t and r.approval = :p order by r.id",
                ToolCallRecord.class).setParameter("t", taskId).setParameter("p", Approval.PENDING).getResultList();
    }

    /** Every undecided call, oldest first (GET /api/approvals). */
    public List<ToolCallRecord> pendingRows(int limit) {
        return em.createQuery("select r from ToolCallRecord r where r.approval = :p order by r.approvalRequestedAt, r.id",
                ToolCallRecord.class).setParameter("p", Approval.PENDING).setMaxResults(limit).getResultList();
    }

    /** The decided gated calls of a task, by iteration and tool-call id: what the transcript shows of them. */
    public Map<String, ToolCallRecord> decidedRows(long taskId) {
        Map<String, ToolCallRecord> rows = new LinkedHashMap<>();
        for (ToolCallRecord r : em.createQuery("select r from ToolCallRecord r where r.taskId = :t and r.approval is not null"
                + " and r.approval <> :p order by r.id", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("p", Approval.PENDING).getResultList()) {
            rows.put(r.iteration + "/" + r.toolCallId, r);
        }
        return rows;
    }

    /**
     * How long the task waited for people: for each gated turn, from its first request to its last decision. The
     * run's deadline does not count it (and counts everything else, the queue included).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Duration waited(long taskId) {
        Duration total = Duration.ZERO;
        for (Object[] r : em.createQuery("select min(r.approvalRequestedAt), max(r.decidedAt) from ToolCallRecord r"
                + " where r.taskId = :t and r.approval is not null and r.approval <> :p group by r.iteration", Object[].class)
                .setParameter("t", taskId).setParameter("p", Approval.PENDING).getResultList()) {
            if (r[0] != null && r[1] != null) {
                total = total.plus(Duration.between((Instant) r[0], (Instant) r[1]));
            }
        }
        return total;
    }

    private ToolCallRecord latestGated(long taskId, String toolCallId) {
        return em.createQuery("select r from ToolCallRecord r where r.taskId = :t and r.toolCallId = :c"
                        + " and r.approval is not null order by r.iteration desc", ToolCallRecord.class)
                .setParameter("t", taskId).setParameter("c", toolCallId).setMaxResults(1)
                .getResultStream().findFirst().orElse(null);
    }

    /** What the model reads as the result of a call that was denied: not an error, a person's (or the clock's) no. */
    public static String denial(ToolCallRecord row) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("denied", true);
        result.put("tool", row.toolName);
        result.put("decidedBy", row.decidedBy);
        result.put("reason", Objects.requireNonNullElse(row.decisionReason, "no reason given"));
        result.put("message", row.approval == Approval.TIMED_OUT
                ? "No one approved this call in time; it did not run. Do not retry it; tell the user it needs an approval."
                : "A person denied this call; it did not run. Do not retry it; take the reason into account.");
        return Json.write(result);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
