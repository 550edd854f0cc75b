package dev.agentbatch.ops;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * At deployment start: the retention schedule, which starts job {@code agent-purge}
 * every AGENT_BATCH_PURGE_INTERVAL (default a day, first run 10 minutes after boot) so that each purge is a job
 * execution operators see in the console and in JOB_EXECUTION.
 */
@ApplicationScoped
public class OpsLifecycle {

    public static final String PURGE_JOB = "agent-purge";
    private static final Logger LOG = Logger.getLogger(OpsLifecycle.class.getName());

    @Inject
    AgentBatchConfig config;
    @Inject
    dev.agentbatch.security.SystemIdentity system;

    @Resource
    ManagedScheduledExecutorService executor;

    private java.util.concurrent.ScheduledFuture<?> schedule;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        long every = config.purgeInterval().toMillis();
        if (every > 0) {
            schedule = executor.scheduleAtFixedRate(this::purge, Math.min(every, TimeUnit.MINUTES.toMillis(10)), every,
                    TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }

    /** Starts one run of agent-purge with the configured retention, or the given one. */
    public long startPurge(Integer retentionDays) {
        Properties parameters = new Properties();
        parameters.setProperty("retentionDays", Integer.toString(retentionDays != null ? retentionDays : config.retentionDays()));
        return BatchRuntime.getJobOperator().start(PURGE_JOB, parameters);
    }

    private void purge() {
        try {
            long exec = system.call(() -> startPurge(null));
            LOG.info(() -> "[exec " + exec + "] scheduled purge started (retention " + config.retentionDays() + " days)");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "scheduled purge could not start; the next one will try again", e);
        }
    }
}
