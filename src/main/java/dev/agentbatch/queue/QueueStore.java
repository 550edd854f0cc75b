package dev.agentbatch.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/** The queue's view of AGENT_TASK: claiming, counting, and giving claims back. Every change is a guarded UPDATE. */
@ApplicationScoped
public class QueueStore {

    @PersistenceContext
    EntityManager em;

    private AgentTask get(long taskId) {
        return em.find(AgentTask.class, taskId);
    }

    /**
     * Claims up to {@code max} PENDING tasks for this node, highest priority first, FIFO within a priority.
     * The claim is an optimistic {@code UPDATE … WHERE STATE = 'PENDING'}: safe with several dispatchers on one
     * database (H2 or PostgreSQL), a task lost to another claimer is simply skipped.
     */
    @Transactional
    public List<AgentTask> claim(String nodeId, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<Long> candidates = em.createQuery("select t.id from AgentTask t where t.state = :pending"
                        + " order by t.priority desc, t.id asc", Long.class)
                .setParameter("pending", TaskState.PENDING).setMaxResults(max).getResultList();
        List<AgentTask> claimed = new ArrayList<>();
        Instant now = Instant.now();
        for (Long id : candidates) {
            int won = em.createQuery("update AgentTask t set t.state = :running, t.nodeId = :node, t.updatedAt = :now"
                            + " where t.id = :id and t.state = :pending")
                    .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).setParameter("now", now)
                    .setParameter("id", id).setParameter("pending", TaskState.PENDING).executeUpdate();
            if (won == 1) {
                claimed.add(get(id));
            }
        }
        return claimed;
    }

    /** Tasks this node runs or has claimed: what the concurrency cap counts. */
    public long countRunning(String nodeId) {
        return em.createQuery("select count(t) from AgentTask t where t.state = :running and t.nodeId = :node", Long.class)
                .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).getSingleResult();
    }

    @Transactional
    public void attachExecution(long taskId, long executionId) {
        em.createQuery("update AgentTask t set t.jobExecutionId = :exec where t.id = :id and t.jobExecutionId is null")
                .setParameter("exec", executionId).setParameter("id", taskId).executeUpdate();
    }

    /** Gives a claim back to the queue when its job could not be started. */
    @Transactional
    public void releaseClaim(long taskId, String reason) {
        em.createQuery("update AgentTask t set t.state = :pending, t.nodeId = null, t.error = :e, t.updatedAt = :now"
                        + " where t.id = :id and t.state = :running and t.jobExecutionId is null")
                .setParameter("pending", TaskState.PENDING).setParameter("e", reason).setParameter("now", Instant.now())
                .setParameter("id", taskId).setParameter("running", TaskState.RUNNING).executeUpdate();
    }

    /** At boot: claims this node made but never handed to JBeret (it died in between) go back to the queue. */
    @Transactional
    public int releaseUnstartedClaims(String nodeId) {
        return em.createQuery("update AgentTask t set t.state = :pending, t.nodeId = null, t.updatedAt = :now"
                        + " where t.state = :running and t.nodeId = :node and t.jobExecutionId is null")
                .setParameter("pending", TaskState.PENDING).setParameter("now", Instant.now())
                .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).executeUpdate();
    }

    public List<AgentTask> runningOn(String nodeId) {
        return em.createQuery("select t from AgentTask t where t.state = :running and t.nodeId = :node", AgentTask.class)
                .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).getResultList();
    }

    /** A recovered task is now carried by the restarted execution. */
    @Transactional
    public void attachRecovered(long taskId, long orphanExecutionId, long executionId) {
        em.createQuery("update AgentTask t set t.jobExecutionId = :exec, t.updatedAt = :now"
                        + " where t.id = :id and t.jobExecutionId = :orphan")
                .setParameter("exec", executionId).setParameter("now", Instant.now()).setParameter("id", taskId)
                .setParameter("orphan", orphanExecutionId).executeUpdate();
    }

    /** For the tasks-by-state gauges: one grouped count. */
    public Map<TaskState, Long> countByState() {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        for (Object[] row : em.createQuery("select t.state, count(t) from AgentTask t group by t.state", Object[].class)
                .getResultList()) {
            counts.put((TaskState) row[0], (Long) row[1]);
        }
        return counts;
    }
}
