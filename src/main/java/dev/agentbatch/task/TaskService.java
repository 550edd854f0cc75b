package dev.agentbatch.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.agentbatch.config.Json;
import dev.agentbatch.model.ChatMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * Accepting a task: validate, then in one transaction write the task (PENDING: it is queued) and its opening
 * messages. An {@code Idempotency-Key} makes a repeated submission return the task it already created.
 */
@ApplicationScoped
public class TaskService {

    public static final String SYSTEM_PROMPT = "You are a careful DevOps agent. Use the tools to inspect before you act, "
            + "act only inside the workspace, and finish with a short answer that says what you did.";

    @PersistenceContext
    EntityManager em;

    @Inject
    TaskValidator validator;
    @Inject
    EventLog events;
    @Inject
    dev.agentbatch.security.AuditLog audit;
    @Inject
    dev.agentbatch.config.ClusterSignals signals;

    public record Submitted(AgentTask task, boolean created) {
    }

    @Transactional
    public Submitted submit(TaskRequest request, String idempotencyKey, String user) {
        TaskRequest valid = validator.validate(request, idempotencyKey);
        String hash = hash(valid);
        if (idempotencyKey != null) {
            Optional<Submitted> existing = existing(idempotencyKey, hash, user);
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        Instant now = Instant.now();
        AgentTask task = new AgentTask();
        task.input = valid.input();
        task.priority = valid.priority();
        task.deadline = valid.deadline();
        task.maxIterations = valid.maxIterations();
        task.budgetTokens = valid.budgetTokens();
        task.tools = valid.tools() == null ? null : String.join(",", valid.tools());
        task.approvalRequired = String.join(",", valid.approvalRequired());
        task.approvalTimeout = valid.approvalTimeout();
        task.contextTokens = valid.contextTokens();
        task.idempotencyKey = idempotencyKey;
        task.requestHash = hash;
        task.submittedBy = user;
        task.createdAt = now;
        task.queuedAt = now;
        task.updatedAt = now;
        em.persist(task);
        em.flush();
        appendOpening(task.id, valid.input(), now);
        events.publish(TaskEvent.state(task.id, TaskState.PENDING, null, null));
        audit.record(task.id, "SUBMIT", user, "priority " + task.priority);
        signals.queueChanged();
        return new Submitted(task, true);
    }

    /**
     * The task a key already created: the same body from the same user gives it back; another body, or another user
     * (who may not see their task through someone else's key), is a conflict.
     */
    @Transactional
    public Optional<Submitted> existing(String idempotencyKey, String requestHash, String user) {
        List<AgentTask> found = em.createQuery("select t from AgentTask t where t.idempotencyKey = :k", AgentTask.class)
                .setParameter("k", idempotencyKey).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AgentTask task = found.get(0);
        if (task.submittedBy != null && !task.submittedBy.equals(user)) {
            throw ApiProblem.conflict("idempotency-key-reused", "Idempotency-Key used by another user",
                    "Idempotency-Key '" + idempotencyKey + "' was used by another user; use a key of your own");
        }
        if (!task.requestHash.equals(requestHash)) {
            throw ApiProblem.conflict("idempotency-key-reused", "Idempotency-Key reused with another body",
                    "Idempotency-Key '" + idempotencyKey + "' was used for task " + task.id
                            + " with a different body; use a new key for a new task");
        }
        return Optional.of(new Submitted(task, false));
    }

    private void appendOpening(long taskId, String input, Instant now) {
        persist(taskId, 0, ChatMessage.system(SYSTEM_PROMPT), now);
        persist(taskId, 1, ChatMessage.user(input), now);
    }

    private void persist(long taskId, int seq, ChatMessage m, Instant now) {
        TaskMessage row = new TaskMessage();
        row.taskId = taskId;
        row.iteration = 0;
        row.seq = seq;
        row.role = m.role().wireName();
        row.content = m.content();
        row.createdAt = now;
        em.persist(row);
    }

    public AgentTask find(long id) {
        AgentTask task = em.find(AgentTask.class, id);
        if (task == null) {
            throw ApiProblem.notFound(id);
        }
        return task;
    }

    /** The request as stored, for comparing with an earlier one under the same key. */
    public TaskRequest normalized(TaskRequest request, String idempotencyKey) {
        return validator.validate(request, idempotencyKey);
    }

    public static String hash(TaskRequest request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
