package dev.agentbatch.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Test-only fault points, for the crash tests that must stop the JVM at one exact line (between an effect and the
 * chunk commit, between a recovery's restart and its attach) or make one write fail. Inert unless the server runs
 * with {@code -Dagent-batch.test.faults=true}; then a point fires for a task whose input contains
 * {@code [fault:POINT]}, once per task and point (a marker file under the data folder remembers it across the
 * restart the fault causes). Never set that property in production.
 */
@ApplicationScoped
public class FaultInjection {

    /** {@code Runtime.halt} right after a side effect's outcome is in the ledger, before the chunk commits. */
    public static final String AFTER_EFFECT = "halt-after-effect";
    /** Halt right after an approval decision committed, before the task runs again. */
    public static final String AFTER_DECISION = "halt-after-decision";
    /** {@code Runtime.halt} right after recovery restarted an orphan, before it attached the new execution. */
    public static final String AFTER_RECOVERY_RESTART = "halt-after-recovery-restart";
    /** A REST call about the task fails once with an unexpected error (its transcript read). */
    public static final String REST_ERROR = "fail-rest";
    /** Recording the end of an execution fails once. */
    public static final String MARK_ENDED = "fail-mark-ended";
    /**
     * The job listener's beforeJob of a restart (not of the first start) waits, before the task follows the new
     * execution, until the test releases it (creates {@code faults/release-slow-restart-TASK} under the data folder)
     * or two minutes passed.
     */
    public static final String SLOW_RESTART = "slow-restart";

    private static final Logger LOG = Logger.getLogger(FaultInjection.class.getName());
    private final boolean enabled = Boolean.getBoolean("agent-batch.test.faults");

    @Inject
    AgentBatchConfig config;
    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    /** Stops the JVM at once, as {@code kill -9} would, when the point is armed for the task. */
    public void halt(String point, long taskId) {
        if (fires(point, taskId)) {
            LOG.severe(() -> "[task " + taskId + "] fault " + point + ": halting the JVM");
            Runtime.getRuntime().halt(137);
        }
    }

    /** Throws when the point is armed for the task. */
    public void fail(String point, long taskId) {
        if (fires(point, taskId)) {
            throw new IllegalStateException("injected fault " + point + " for task " + taskId);
        }
    }

    /** Waits, when the point is armed for the task, until the test releases it (see {@link #SLOW_START}). */
    public void hold(String point, long taskId) {
        if (fires(point, taskId)) {
            Path release = faults().resolve("release-" + point + "-" + taskId);
            LOG.info(() -> "[task " + taskId + "] fault " + point + ": holding until " + release + " exists");
            long end = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(release) && System.nanoTime() < end) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Path faults() {
        return config.dataDir().resolve("agent-batch/faults");
    }

    private boolean fires(String point, long taskId) {
        if (!enabled) {
            return false;
        }
        String[] task = task(taskId);
        if (!task[0].contains("[fault:" + point + "]") || point.equals(SLOW_RESTART) && task[1] == null) {
            return false;
        }
        Path marker = faults().resolve(point + "-" + taskId);
        try {
            Files.createDirectories(marker.getParent());
            Files.createFile(marker);
            return true;
        } catch (IOException alreadyFired) {
            return false;
        }
    }

    /** The task's input and job instance (null before its first start). */
    private String[] task(long taskId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select INPUT, JOB_INSTANCE_ID from AGENT_TASK where ID = ?")) {
            s.setLong(1, taskId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {"", null};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("fault injection cannot read task " + taskId, e);
        }
    }
}
