package dev.agentbatch.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;

import jakarta.batch.api.AbstractBatchlet;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** The step of job {@code agent-purge}: purges batch after batch until nothing is older than the retention. */
@Named("retentionPurger")
@Dependent
public class RetentionPurger extends AbstractBatchlet {

    private static final Logger LOG = Logger.getLogger(RetentionPurger.class.getName());

    @Inject
    RetentionStore store;
    @Inject
    JobContext jobContext;
    @Inject
    dev.agentbatch.config.AgentBatchConfig config;

    @Inject
    @BatchProperty
    String retentionDays;
    @Inject
    @BatchProperty
    String batchSize;

    private volatile boolean stopRequested;

    @Override
    public String process() {
        int days = Integer.parseInt(retentionDays.trim());
        int size = Integer.parseInt(batchSize.trim());
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        int tasks = 0;
        int batch;
        do {
            batch = store.purgeBatch(cutoff, size);
            tasks += Math.max(batch, 0);
        } while (batch > 0 && !stopRequested);
        int jobs = store.purgeOwnExecutions(cutoff, jobContext.getInstanceId());
        int events = store.purgeEvents(Instant.now().minus(config.eventRetention()));
        int purged = tasks;
        LOG.info(() -> "[exec " + jobContext.getExecutionId() + "] purge: " + purged + " task(s) ended before " + cutoff
                + " (" + days + " days) removed with their job repository rows; " + jobs + " old agent-purge run(s) and " + events
                + " task event(s) older than " + config.eventRetention() + " removed");
        return "PURGED_" + tasks;
    }

    @Override
    public void stop() {
        stopRequested = true;
    }
}
