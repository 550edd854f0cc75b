package dev.agentbatch.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.agentbatch.config.Database;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.EventLog;
import dev.agentbatch.task.TaskEvent;
import dev.agentbatch.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * The queue's view of AGENT_TASK: claiming, counting, and giving claims back. Every change is a guarded UPDATE, and
 * every state it writes follows {@link TaskState}'s table. New tasks (PENDING) and restarts (RESTART_PENDING) wait in
 * the same queue: priority first, then the time they entered it.
 */
@ApplicationScoped
public class QueueStore {

    private static final List<TaskState> QUEUED = List.of(TaskState.PENDING, TaskState.RESTART_PENDING);
    private static final List<TaskState> HELD = List.of(TaskState.STARTING, TaskState.RUNNING);

    @PersistenceContext
    EntityManager em;
    @Inject
    Database database;
    @Inject
    EventLog events;

    private AgentTask get(long taskId) {
        return em.find(AgentTask.class, taskId);
    }

    /**
     * Claims up to {@code max} queued tasks for this node, highest priority first, FIFO within a priority; each
     * becomes STARTING, claimed by this node now. The claim is an optimistic {@code UPDATE … WHERE STATE = <what we
     * read>}: safe with several dispatchers on one database (H2 or PostgreSQL), a task lost to another claimer, or
     * cancelled meanwhile, is simply skipped.
     */
    @Transactional
    public List<AgentTask> claim(String nodeId, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<Object[]> candidates = database.isPostgres()
                // PostgreSQL: lock the rows this node takes and skip the ones other dispatchers hold, row by row
                ? em.createNativeQuery("select ID, STATE from AGENT_TASK where STATE in ('PENDING', 'RESTART_PENDING')"
                        + " order by PRIORITY desc, QUEUED_AT asc, ID asc limit " + max + " for update skip locked")
                        .getResultList().stream().map(r -> new Object[] {((Number) ((Object[]) r)[0]).longValue(),
                                TaskState.valueOf((String) ((Object[]) r)[1])}).toList()
                // H2: a claimer that selects FOR UPDATE with a limit locks every row it scanned (DESIGN.md §7)
                : em.createQuery("select t.id, t.state from AgentTask t where t.state in :queued"
                        + " order by t.priority desc, t.queuedAt asc, t.id asc", Object[].class)
                        .setParameter("queued", QUEUED).setMaxResults(max).getResultList();
        List<AgentTask> claimed = new ArrayList<>();
        Instant now = Instant.now();
        for (Object[] candidate : candidates) {
            long id = (Long) candidate[0];
            int won = em.createQuery("update AgentTask t set t.state = :starting, t.nodeId = :node, t.claimedBy = :node,"
                            + " t.claimedAt = :now, t.jobExecutionId = null, t.updatedAt = :now where t.id = :id and t.state = :seen")
                    .setParameter("starting", TaskState.STARTING).setParameter("node", nodeId).setParameter("now", now)
                    .setParameter("id", id).setParameter("seen", candidate[1]).executeUpdate();
            if (won == 1) {
                claimed.add(get(id));
                events.publish(TaskEvent.state(id, TaskState.STARTING, null, null));
            }
        }
        return claimed;
    }

    /** Tasks this node runs or has claimed: what the concurrency cap counts. */
    public long countRunning(String nodeId) {
        return em.createQuery("select count(t) from AgentTask t where t.state in :held and t.nodeId = :node", Long.class)
                .setParameter("held", HELD).setParameter("node", nodeId).getSingleResult();
    }

    /** The job execution the dispatcher just started for a claim (the job listener may have recorded it already). */
    @Transactional
    public void attachExecution(long taskId, long executionId) {
        em.createQuery("update AgentTask t set t.jobExecutionId = :exec where t.id = :id and t.jobExecutionId is null"
                        + " and t.state = :starting")
                .setParameter("exec", executionId).setParameter("id", taskId).setParameter("starting", TaskState.STARTING)
                .executeUpdate();
    }

    /** Gives a claim back to the queue when its job could not be started: it keeps its place (QUEUED_AT). */
    @Transactional
    public void releaseClaim(long taskId, String reason) {
        em.createQuery("update AgentTask t set t.state = case when t.jobInstanceId is null then :pending else :restart end,"
                        + " t.nodeId = null, t.claimedBy = null, t.claimedAt = null, t.error = :e, t.updatedAt = :now"
                        + " where t.id = :id and t.state = :starting and t.jobExecutionId is null")
                .setParameter("pending", TaskState.PENDING).setParameter("restart", TaskState.RESTART_PENDING)
                .setParameter("e", reason).setParameter("now", Instant.now())
                .setParameter("id", taskId).setParameter("starting", TaskState.STARTING).executeUpdate();
    }

    /**
     * Claims this node made but never handed to JBeret (it died in between, or the start failed): back to the queue.
     * Called at boot, and by every dispatcher pass (outside its own launches) for claims older than {@code before}.
     */
    @Transactional
    public int releaseUnstartedClaims(String nodeId, Instant before) {
        return em.createQuery("update AgentTask t set t.state = case when t.jobInstanceId is null then :pending else :restart end,"
                        + " t.nodeId = null, t.claimedBy = null, t.claimedAt = null, t.updatedAt = :now"
                        + " where t.state = :starting and t.claimedBy = :node and t.jobExecutionId is null and t.claimedAt < :before")
                .setParameter("pending", TaskState.PENDING).setParameter("restart", TaskState.RESTART_PENDING)
                .setParameter("now", Instant.now()).setParameter("starting", TaskState.STARTING)
                .setParameter("node", nodeId).setParameter("before", before).executeUpdate();
    }

    /**
     * Tasks an execution of this node carries, or did carry when it last looked, except those whose recorded execution
     * is {@code live} here: what recovery and the sweep check. Every dispatcher pass asks, and nearly every running
     * task is live, so the ids come first and only the others are loaded.
     */
    public List<AgentTask> runningOnWithoutLive(String nodeId, java.util.function.LongPredicate live) {
        List<Long> ids = em.createQuery("select t.id, t.jobExecutionId from AgentTask t where t.state = :running"
                        + " and t.nodeId = :node", Object[].class)
                .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).getResultList().stream()
                .filter(row -> row[1] == null || !live.test((Long) row[1])).map(row -> (Long) row[0]).toList();
        List<AgentTask> found = new java.util.ArrayList<>();
        for (int from = 0; from < ids.size(); from += 1000) { // a bounded IN list, after a reboot found thousands
            found.addAll(em.createQuery("select t from AgentTask t where t.id in :ids and t.state = :running"
                            + " and t.nodeId = :node", AgentTask.class)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 1000)))
                    .setParameter("running", TaskState.RUNNING).setParameter("node", nodeId).getResultList());
        }
        return found;
    }

    /**
     * A task now follows {@code executionId}, the latest execution of its job instance (a restart recovery made, or
     * one whose start the task missed). Conditional on what the task pointed at before.
     */
    @Transactional
    public boolean follow(long taskId, Long previousExecutionId, long executionId) {
        var update = em.createQuery("update AgentTask t set t.jobExecutionId = :exec, t.updatedAt = :now"
                        + " where t.id = :id and " + (previousExecutionId == null ? "t.jobExecutionId is null" : "t.jobExecutionId = :previous"))
                .setParameter("exec", executionId).setParameter("now", Instant.now()).setParameter("id", taskId);
        if (previousExecutionId != null) {
            update.setParameter("previous", previousExecutionId);
        }
        return update.executeUpdate() == 1;
    }

    /** Tasks in flight (STARTING, RUNNING) that belong to another node, or to none (handed off). */
    public List<AgentTask> heldElsewhere(String nodeId) {
        return em.createQuery("select t from AgentTask t where t.state in :held and (t.nodeId is null or t.nodeId <> :node)"
                        + " order by t.priority desc, t.queuedAt asc, t.id asc", AgentTask.class)
                .setParameter("held", HELD).setParameter("node", nodeId).getResultList();
    }

    /**
     * Takes a task over from a dead node (or from none, after a hand-off): a compare-and-set on its owner and epoch
     * that moves it to this node and increments the epoch, so that exactly one node wins it however many noticed, and
     * the dead node's executions are fenced from this moment.
     */
    @Transactional
    public boolean takeOver(long taskId, String fromNode, int epoch, String nodeId) {
        Instant now = Instant.now();
        var update = em.createQuery("update AgentTask t set t.nodeId = :node, t.claimedBy = :node, t.claimedAt = :now,"
                        + " t.epoch = t.epoch + 1, t.state = :running, t.updatedAt = :now where t.id = :id and t.epoch = :epoch"
                        + " and t.state in :held and " + (fromNode == null ? "t.nodeId is null" : "t.nodeId = :from"))
                .setParameter("node", nodeId).setParameter("now", now).setParameter("running", TaskState.RUNNING)
                .setParameter("id", taskId).setParameter("epoch", epoch).setParameter("held", HELD);
        if (fromNode != null) {
            update.setParameter("from", fromNode);
        }
        return update.executeUpdate() == 1;
    }

    /**
     * For the tasks-by-state gauges: one grouped count of the tasks in {@code states} (a range of AGENT_TASK_QUEUE_IDX
     * per state, so counting the live states costs the tasks in flight, not the history); a state with no task is 0.
     */
    public Map<TaskState, Long> countByState(Collection<TaskState> states) {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        states.forEach(state -> counts.put(state, 0L));
        for (Object[] row : em.createQuery("select t.state, count(t) from AgentTask t where t.state in :states"
                        + " group by t.state", Object[].class)
                .setParameter("states", states).getResultList()) {
            counts.put((TaskState) row[0], (Long) row[1]);
        }
        return counts;
    }
}
