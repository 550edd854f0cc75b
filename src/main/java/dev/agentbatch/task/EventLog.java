package dev.agentbatch.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.config.ClusterSignals;
import dev.agentbatch.config.Jdbc;
import dev.agentbatch.config.SqlTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.hibernate.query.NativeQuery;

/**
 * AGENT_EVENT: every task event, written in the transaction that made it true (so it exists if and only if that
 * change committed) and read back by any node: a follower on node B sees a task that runs on node A, and a follower
 * that reconnects replays what it missed. Callers publish <em>after</em> the update of the task's row, whose lock
 * orders a task's events: their ids grow in commit order within a task.
 */
@ApplicationScoped
public class EventLog {

    private static final String COLUMNS = "select ID, TYPE, TASK_ID, STATE, ITERATION, JOB_EXECUTION_ID, EXIT_STATUS, TOKENS,"
            + " NODE_ID, CREATED_AT from AGENT_EVENT ";

    @PersistenceContext
    EntityManager em;
    @Inject
    AgentBatchConfig config;
    @Inject
    Event<TaskEvent> committed;
    @Inject
    ClusterSignals signals;

    /** Records the event in the caller's transaction; this node's relay is poked once it commits, others by a signal. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(TaskEvent e) {
        em.createNativeQuery("insert into AGENT_EVENT (TASK_ID, TYPE, STATE, ITERATION, JOB_EXECUTION_ID, EXIT_STATUS,"
                        + " TOKENS, NODE_ID, CREATED_AT) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                // a native statement with no query space flushes the whole persistence context first (the B1 profile's
                // top frame); this one flushes only for a changed task, whose row lock must be taken before the insert
                .unwrap(NativeQuery.class).addSynchronizedQuerySpace("AGENT_EVENT").addSynchronizedEntityClass(AgentTask.class)
                .setParameter(1, e.taskId()).setParameter(2, e.type())
                .setParameter(3, e.state() == null ? null : e.state().name()).setParameter(4, e.iteration())
                .setParameter(5, e.executionId()).setParameter(6, e.exitStatus()).setParameter(7, e.totalTokens())
                .setParameter(8, config.nodeId()).setParameter(9, e.at())
                .executeUpdate();
        announce(e);
    }

    /**
     * Records the event with a plain statement on {@code c}, a connection in the caller's transaction (the agent loop's
     * writer, which writes its iteration in one JDBC pass); the caller then {@link #announce}s it.
     */
    public void insert(Connection c, TaskEvent e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setLong(1, e.taskId());
            s.setString(2, e.type());
            Jdbc.setString(s, 3, e.state() == null ? null : e.state().name());
            Jdbc.setInt(s, 4, e.iteration());
            Jdbc.setLong(s, 5, e.executionId());
            Jdbc.setString(s, 6, e.exitStatus());
            Jdbc.setLong(s, 7, e.totalTokens());
            Jdbc.setString(s, 8, config.nodeId());
            Jdbc.setInstant(s, 9, e.at());
            s.executeUpdate();
        }
    }

    /** Once an event is written in the caller's transaction: this node's relay is poked when it commits, others by a signal. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(TaskEvent e) {
        committed.fire(e);
        signals.eventsChanged();
    }

    private static final String INSERT = "insert into AGENT_EVENT (TASK_ID, TYPE, STATE, ITERATION, JOB_EXECUTION_ID,"
            + " EXIT_STATUS, TOKENS, NODE_ID, CREATED_AT) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** A task's events after {@code afterId}, in order: what a reconnecting follower missed. */
    public List<TaskEvent> ofTaskAfter(long taskId, long afterId) {
        return read(em.createNativeQuery(COLUMNS + "where TASK_ID = ?1 and ID > ?2 order by ID")
                .setParameter(1, taskId).setParameter(2, afterId).setMaxResults(10_000).getResultList());
    }

    /** Every task's events after {@code afterId}, in id order. */
    public List<TaskEvent> after(long afterId, int limit) {
        return read(em.createNativeQuery(COLUMNS + "where ID > ?1 order by ID").setParameter(1, afterId)
                .setMaxResults(limit).getResultList());
    }

    /** The events with these ids that exist now (gaps a poll saw: transactions still open, or rolled back). */
    public List<TaskEvent> withIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return read(em.createNativeQuery(COLUMNS + "where ID in (:ids) order by ID").setParameter("ids", ids).getResultList());
    }

    public long latestId() {
        Object max = em.createNativeQuery("select max(ID) from AGENT_EVENT").getSingleResult();
        return max == null ? 0 : ((Number) max).longValue();
    }

    public long latestIdOf(long taskId) {
        Object max = em.createNativeQuery("select max(ID) from AGENT_EVENT where TASK_ID = ?1").setParameter(1, taskId)
                .getSingleResult();
        return max == null ? 0 : ((Number) max).longValue();
    }

    private static List<TaskEvent> read(List<?> rows) {
        List<TaskEvent> events = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            events.add(new TaskEvent(((Number) r[0]).longValue(), (String) r[1], ((Number) r[2]).longValue(),
                    r[3] == null ? null : TaskState.valueOf((String) r[3]), r[4] == null ? null : ((Number) r[4]).intValue(),
                    r[5] == null ? null : ((Number) r[5]).longValue(), (String) r[6],
                    r[7] == null ? null : ((Number) r[7]).longValue(), (String) r[8], SqlTime.instant(r[9])));
        }
        return events;
    }
}
