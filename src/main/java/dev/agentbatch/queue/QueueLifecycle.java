package dev.agentbatch.queue;

import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** At deployment start: give back claims a dead JVM never started, then start the dispatcher. */
@ApplicationScoped
public class QueueLifecycle {

    private static final Logger LOG = Logger.getLogger(QueueLifecycle.class.getName());

    @Inject
    QueueStore tasks;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    AgentBatchConfig config;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        int released = tasks.releaseUnstartedClaims(config.nodeId(), java.time.Instant.now());
        if (released > 0) {
            LOG.info(() -> released + " task(s) claimed but never started by a previous run of node "
                    + config.nodeId() + " are back in the queue");
        }
        LOG.info(() -> "dispatcher on node " + config.nodeId() + ": at most " + config.maxConcurrentTasks()
                + " task(s) at once (AGENT_BATCH_MAX_CONCURRENT_TASKS; batch thread pool " + config.batchThreads()
                + ", AGENT_BATCH_BATCH_THREADS); model " + config.openAiModel());
        dispatcher.start();
    }
}
