package dev.agentbatch.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.agentbatch.config.SqlTime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * AGENT_AUDIT: every state change a person made (submit, restart, stop, cancel, purge, approve, deny), who made it and
 * when, written in the transaction of the change itself: it exists if and only if the change does.
 */
@ApplicationScoped
public class AuditLog {

    /** One audited action. */
    public record Entry(long id, Long taskId, String action, String actor, String detail, Instant at) {
    }

    @PersistenceContext
    EntityManager em;

    @Transactional
    public void record(Long taskId, String action, String actor, String detail) {
        em.createNativeQuery("insert into AGENT_AUDIT (TASK_ID, ACTION, ACTOR, DETAIL, CREATED_AT) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, taskId).setParameter(2, action).setParameter(3, actor == null ? "anonymous" : actor)
                .setParameter(4, detail == null || detail.length() <= 4000 ? detail : detail.substring(0, 4000))
                .setParameter(5, Instant.now()).executeUpdate();
    }

    public List<Entry> ofTask(long taskId) {
        List<Entry> entries = new ArrayList<>();
        for (Object row : em.createNativeQuery("select ID, TASK_ID, ACTION, ACTOR, DETAIL, CREATED_AT from AGENT_AUDIT"
                + " where TASK_ID = ?1 order by ID").setParameter(1, taskId).getResultList()) {
            Object[] r = (Object[]) row;
            entries.add(new Entry(((Number) r[0]).longValue(), r[1] == null ? null : ((Number) r[1]).longValue(),
                    (String) r[2], (String) r[3], (String) r[4], SqlTime.instant(r[5])));
        }
        return entries;
    }
}
