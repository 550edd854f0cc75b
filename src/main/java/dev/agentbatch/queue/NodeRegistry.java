package dev.agentbatch.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.agentbatch.config.SqlTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * AGENT_NODE: the nodes sharing the database, each with a heartbeat written with the <em>database's</em> clock, so that
 * nodes need no synchronized clocks to agree on who is alive: every age here is the database's now minus the
 * database's heartbeat. A row belongs to one boot of a node ({@code INSTANCE_ID}); every write is guarded by it.
 */
@ApplicationScoped
public class NodeRegistry {

    public static final String UP = "UP";
    public static final String LEFT = "LEFT";

    /** One node as the database sees it now. */
    public record Node(String name, String instanceId, String state, int cap, Instant joinedAt, Instant heartbeatAt,
                       Instant databaseNow, long runningTasks) {

        public Duration heartbeatAge() {
            return Duration.between(heartbeatAt, databaseNow);
        }

        /** Alive: it did not leave and its heartbeat is younger than the lease. */
        public boolean alive(Duration lease) {
            return UP.equals(state) && heartbeatAge().compareTo(lease) < 0;
        }
    }

    @PersistenceContext
    EntityManager em;

    @Transactional
    public List<Node> all() {
        List<Node> nodes = new ArrayList<>();
        for (Object row : em.createNativeQuery("select n.NAME, n.INSTANCE_ID, n.STATE, n.CAP, n.JOINED_AT, n.HEARTBEAT_AT,"
                + " CURRENT_TIMESTAMP, (select count(*) from AGENT_TASK t where t.NODE_ID = n.NAME and t.STATE in"
                + " ('STARTING', 'RUNNING')) from AGENT_NODE n order by n.NAME").getResultList()) {
            nodes.add(node((Object[]) row));
        }
        return nodes;
    }

    @Transactional
    public Optional<Node> find(String name) {
        return all().stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** A new row for this boot of the node; false when a row with that name exists already. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean insert(String name, String instanceId, int cap) {
        if (em.createNativeQuery("select 1 from AGENT_NODE where NAME = ?1").setParameter(1, name).getResultList().size() > 0) {
            return false;
        }
        em.createNativeQuery("insert into AGENT_NODE (NAME, INSTANCE_ID, STATE, CAP, JOINED_AT, HEARTBEAT_AT)"
                        + " values (?1, ?2, 'UP', ?3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
                .setParameter(1, name).setParameter(2, instanceId).setParameter(3, cap).executeUpdate();
        return true;
    }

    /** Takes over the row of an earlier boot of the same node (dead or gone): a compare-and-set on its instance. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean replace(String name, String previousInstanceId, String instanceId, int cap) {
        return em.createNativeQuery("update AGENT_NODE set INSTANCE_ID = ?1, STATE = 'UP', CAP = ?2,"
                        + " JOINED_AT = CURRENT_TIMESTAMP, HEARTBEAT_AT = CURRENT_TIMESTAMP, LEFT_AT = null"
                        + " where NAME = ?3 and INSTANCE_ID = ?4")
                .setParameter(1, instanceId).setParameter(2, cap).setParameter(3, name).setParameter(4, previousInstanceId)
                .executeUpdate() == 1;
    }

    /**
     * One heartbeat.
     *
     * @return how old the previous heartbeat was (database clock), or empty when the row is no longer this boot's
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Duration> beat(String name, String instanceId, int cap) {
        List<?> rows = em.createNativeQuery("select HEARTBEAT_AT, CURRENT_TIMESTAMP from AGENT_NODE where NAME = ?1"
                + " and INSTANCE_ID = ?2 for update").setParameter(1, name).setParameter(2, instanceId).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        Duration age = Duration.between(SqlTime.instant(r[0]), SqlTime.instant(r[1]));
        em.createNativeQuery("update AGENT_NODE set HEARTBEAT_AT = CURRENT_TIMESTAMP, STATE = 'UP', CAP = ?1, LEFT_AT = null"
                        + " where NAME = ?2 and INSTANCE_ID = ?3")
                .setParameter(1, cap).setParameter(2, name).setParameter(3, instanceId).executeUpdate();
        return Optional.of(age);
    }

    /** A graceful leave: the others take what is left of its tasks at once, without waiting for the lease. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void leave(String name, String instanceId) {
        em.createNativeQuery("update AGENT_NODE set STATE = 'LEFT', LEFT_AT = CURRENT_TIMESTAMP where NAME = ?1"
                + " and INSTANCE_ID = ?2").setParameter(1, name).setParameter(2, instanceId).executeUpdate();
    }

    private static Node node(Object[] r) {
        return new Node((String) r[0], (String) r[1], (String) r[2], ((Number) r[3]).intValue(), SqlTime.instant(r[4]),
                SqlTime.instant(r[5]), SqlTime.instant(r[6]), ((Number) r[7]).longValue());
    }
}
