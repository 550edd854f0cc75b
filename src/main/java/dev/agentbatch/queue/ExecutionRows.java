package dev.agentbatch.queue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.agentbatch.config.SqlTime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

/**
 * JOB_EXECUTION rows read straight from the job repository tables, as an operator reads them: the truth that recovery
 * and the sweep decide from. Not through the JobOperator, whose JDBC repository answers running executions from a
 * per-JVM cache that another JVM's (or a dead JVM's) progress never reaches.
 */
@ApplicationScoped
public class ExecutionRows {

    /** One JOB_EXECUTION row. */
    public record Row(long executionId, long jobInstanceId, BatchStatus batchStatus, String exitStatus, Instant createTime,
                      Instant lastUpdatedTime) {

        public boolean isRunning() {
            return batchStatus == BatchStatus.STARTING || batchStatus == BatchStatus.STARTED
                    || batchStatus == BatchStatus.STOPPING;
        }
    }

    private static final String COLUMNS = "select JOBEXECUTIONID, JOBINSTANCEID, BATCHSTATUS, EXITSTATUS, CREATETIME,"
            + " LASTUPDATEDTIME from JOB_EXECUTION ";

    @PersistenceContext
    EntityManager em;

    /** The most recent execution of a job instance: the one a restart must start from. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Row> latestOf(long jobInstanceId) {
        return first(em.createNativeQuery(COLUMNS + "where JOBINSTANCEID = ?1 order by JOBEXECUTIONID desc")
                .setParameter(1, jobInstanceId).setMaxResults(1).getResultList());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Row> get(long executionId) {
        return first(em.createNativeQuery(COLUMNS + "where JOBEXECUTIONID = ?1").setParameter(1, executionId).getResultList());
    }

    /**
     * Settles an execution a dead JVM left STOPPING (someone asked it to stop, and it never got to): STOPPED, as it
     * would have ended. A conditional update: nothing happens if the row moved on.
     */
    @Transactional
    public boolean markStopped(long executionId) {
        return em.createNativeQuery("update JOB_EXECUTION set BATCHSTATUS = 'STOPPED', EXITSTATUS = 'STOPPED',"
                        + " ENDTIME = ?1, LASTUPDATEDTIME = ?1 where JOBEXECUTIONID = ?2 and BATCHSTATUS = 'STOPPING'")
                .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, executionId).executeUpdate() == 1;
    }

    /**
     * Settles an execution whose node died: FAILED with exit status NODE_LOST (the task is resumed elsewhere, see
     * {@link dev.agentbatch.task.ExecutionOutcome}). A conditional update: nothing happens if the row already ended.
     */
    @Transactional
    public boolean markNodeLost(long executionId) {
        return em.createNativeQuery("update JOB_EXECUTION set BATCHSTATUS = 'FAILED', EXITSTATUS = 'NODE_LOST',"
                        + " ENDTIME = ?1, LASTUPDATEDTIME = ?1 where JOBEXECUTIONID = ?2"
                        + " and BATCHSTATUS in ('STARTING', 'STARTED', 'STOPPING')")
                .setParameter(1, Timestamp.from(Instant.now())).setParameter(2, executionId).executeUpdate() == 1;
    }

    private static Optional<Row> first(List<?> rows) {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Row(((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                BatchStatus.valueOf(((String) r[2]).trim()), (String) r[3], SqlTime.instant(r[4]), SqlTime.instant(r[5])));
    }
}
