package dev.agentbatch.task;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

/**
 * Finding tasks by a {@link TaskFilter}, with the JPA criteria API: every value the caller gave is bound as a
 * parameter, and sort keys name entity attributes from a closed list, so nothing a caller types becomes SQL.
 */
@ApplicationScoped
public class TaskSearch {

    @PersistenceContext
    EntityManager em;

    /** One page of a list, and how many tasks match in all. */
    public record Page(List<AgentTask> tasks, long total) {
    }

    public Page page(TaskFilter filter, int page, int size) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<AgentTask> query = cb.createQuery(AgentTask.class);
        Root<AgentTask> t = query.from(AgentTask.class);
        query.select(t).where(where(cb, t, filter)).orderBy(order(cb, t, filter));
        List<AgentTask> tasks = em.createQuery(query).setFirstResult(page * size).setMaxResults(size).getResultList();
        return new Page(tasks, count(filter));
    }

    public long count(TaskFilter filter) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<AgentTask> t = query.from(AgentTask.class);
        query.select(cb.count(t)).where(where(cb, t, filter));
        return em.createQuery(query).getSingleResult();
    }

    /** The ids that match now, in the filter's order, at most {@code max}: a bulk action's snapshot. */
    public List<Long> ids(TaskFilter filter, int max) {
        CriteriaBuilder cb = em.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<AgentTask> t = query.from(AgentTask.class);
        query.select(t.get("id")).where(where(cb, t, filter)).orderBy(order(cb, t, filter));
        return em.createQuery(query).setMaxResults(max).getResultList();
    }

    /** How many tasks are in each state (every state listed, zeros included). */
    public Map<TaskState, Long> countsByState() {
        Map<TaskState, Long> counts = new EnumMap<>(TaskState.class);
        for (TaskState s : TaskState.values()) {
            counts.put(s, 0L);
        }
        List<Object[]> rows = em.createQuery("select t.state, count(t) from AgentTask t group by t.state", Object[].class)
                .getResultList();
        for (Object[] row : rows) {
            counts.put((TaskState) row[0], ((Number) row[1]).longValue());
        }
        return counts;
    }

    private static Predicate[] where(CriteriaBuilder cb, Root<AgentTask> t, TaskFilter f) {
        List<Predicate> where = new ArrayList<>();
        if (!f.states().isEmpty()) {
            where.add(t.get("state").in(f.states()));
        }
        if (!f.exitStatuses().isEmpty()) {
            where.add(t.get("exitStatus").in(f.exitStatuses()));
        }
        if (!f.priorities().isEmpty()) {
            where.add(t.get("priority").in(f.priorities()));
        }
        if (f.from() != null) {
            where.add(cb.greaterThanOrEqualTo(t.<java.time.Instant>get(f.time().attribute), f.from()));
        }
        if (f.to() != null) {
            where.add(cb.lessThan(t.<java.time.Instant>get(f.time().attribute), f.to()));
        }
        if (f.text() != null) {
            where.add(cb.like(cb.lower(t.<String>get("input")), f.likePattern(), '\\'));
        }
        return where.toArray(Predicate[]::new);
    }

    private static List<Order> order(CriteriaBuilder cb, Root<AgentTask> t, TaskFilter f) {
        Expression<?> key = f.sort().attribute == null
                ? cb.sum(t.<Long>get("promptTokens"), t.<Long>get("completionTokens"))
                : t.get(f.sort().attribute);
        List<Order> order = new ArrayList<>();
        order.add(f.descending() ? cb.desc(key) : cb.asc(key));
        if (f.sort() != TaskFilter.SortKey.ID) {
            order.add(cb.desc(t.get("id")));
        }
        return order;
    }
}
