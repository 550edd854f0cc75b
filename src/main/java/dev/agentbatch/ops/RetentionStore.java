package dev.agentbatch.ops;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agentbatch.task.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * The SQL of retention, children first so that no view or join ever sees half a task: our rows of the task,
 * then the job repository's rows of its job instance, then the task itself. One transaction per batch.
 */
@ApplicationScoped
public class RetentionStore {

    private static final String RUNNING_EXECUTION = "select 1 from JOB_EXECUTION e where e.BATCHSTATUS in"
            + " ('STARTING', 'STARTED', 'STOPPING')";
    private static final String EXECUTIONS_OF = "select JOBEXECUTIONID from JOB_EXECUTION where JOBINSTANCEID in (:instances)";

    @PersistenceContext
    EntityManager em;

    /**
     * Removes up to {@code size} tasks that ended before {@code cutoff}, and are still ended now: the tasks are locked
     * (a restart through the API waits for this transaction), and a task whose job instance has an execution that is
     * not over (a jboss-cli {@code restart-job} whose listener has not run yet) is kept. The job instances are locked
     * before that last check, so an execution inserted after it cannot slip in.
     *
     * @return how many tasks this batch removed; -1 when it found candidates but all were kept
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purgeBatch(Instant cutoff, int size) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select t.ID, t.JOB_INSTANCE_ID from AGENT_TASK t"
                        + " where t.STATE in (?1, ?2, ?3) and t.ENDED_AT < ?4 and not exists (" + RUNNING_EXECUTION
                        + " and e.JOBINSTANCEID = t.JOB_INSTANCE_ID) order by t.ID fetch first " + size + " rows only for update")
                .setParameter(1, TaskState.COMPLETED.name()).setParameter(2, TaskState.FAILED.name())
                .setParameter(3, TaskState.STOPPED.name()).setParameter(4, cutoff)
                .getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        Set<Long> instances = new HashSet<>();
        rows.stream().filter(r -> r[1] != null).forEach(r -> instances.add(((Number) r[1]).longValue()));
        if (!instances.isEmpty()) {
            em.createNativeQuery("select JOBINSTANCEID from JOB_INSTANCE where JOBINSTANCEID in (:i) for update")
                    .setParameter("i", instances).getResultList();
            @SuppressWarnings("unchecked")
            List<Number> busy = em.createNativeQuery(RUNNING_EXECUTION.replace("select 1", "select e.JOBINSTANCEID")
                    + " and e.JOBINSTANCEID in (:i)").setParameter("i", instances).getResultList();
            busy.forEach(b -> instances.remove(b.longValue()));
        }
        List<Long> tasks = rows.stream()
                .filter(r -> r[1] == null || instances.contains(((Number) r[1]).longValue()))
                .map(r -> ((Number) r[0]).longValue()).toList();
        if (tasks.isEmpty()) {
            return -1;
        }
        for (String table : List.of("AGENT_MESSAGE", "AGENT_MODEL_CALL", "AGENT_TOOL_LEDGER", "AGENT_RETRY", "AGENT_EVENT")) {
            em.createNativeQuery("delete from " + table + " where TASK_ID in (:tasks)").setParameter("tasks", tasks).executeUpdate();
        }
        if (!instances.isEmpty()) {
            deleteInstances(List.copyOf(instances));
        }
        em.createNativeQuery("delete from AGENT_TASK where ID in (:tasks)").setParameter("tasks", tasks).executeUpdate();
        return tasks.size();
    }

    /** Task events older than the cutoff (followers replay at most that far back). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purgeEvents(Instant cutoff) {
        return em.createNativeQuery("delete from AGENT_EVENT where CREATED_AT < ?1").setParameter(1, cutoff).executeUpdate();
    }

    /** Old runs of agent-purge itself, except the one running now. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purgeOwnExecutions(Instant cutoff, long currentInstance) {
        @SuppressWarnings("unchecked")
        List<Number> instances = em.createNativeQuery("select i.JOBINSTANCEID from JOB_INSTANCE i where i.JOBNAME = 'agent-purge'"
                        + " and i.JOBINSTANCEID <> ?1 and not exists (select 1 from JOB_EXECUTION e where e.JOBINSTANCEID ="
                        + " i.JOBINSTANCEID and (e.ENDTIME is null or e.ENDTIME >= ?2))")
                .setParameter(1, currentInstance).setParameter(2, java.sql.Timestamp.from(cutoff)).getResultList();
        if (instances.isEmpty()) {
            return 0;
        }
        deleteInstances(instances.stream().map(Number::longValue).toList());
        return instances.size();
    }

    private void deleteInstances(List<Long> instances) {
        em.createNativeQuery("delete from PARTITION_EXECUTION where STEPEXECUTIONID in (select STEPEXECUTIONID from"
                + " STEP_EXECUTION where JOBEXECUTIONID in (" + EXECUTIONS_OF + "))").setParameter("instances", instances).executeUpdate();
        em.createNativeQuery("delete from STEP_EXECUTION where JOBEXECUTIONID in (" + EXECUTIONS_OF + ")")
                .setParameter("instances", instances).executeUpdate();
        em.createNativeQuery("delete from JOB_EXECUTION where JOBINSTANCEID in (:instances)")
                .setParameter("instances", instances).executeUpdate();
        em.createNativeQuery("delete from JOB_INSTANCE where JOBINSTANCEID in (:instances)")
                .setParameter("instances", instances).executeUpdate();
    }
}
