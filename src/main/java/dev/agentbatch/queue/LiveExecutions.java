package dev.agentbatch.queue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * The job executions running in this JVM right now, as the job listener sees them begin and end, and when this
 * deployment started: an execution created before that and still "running" in the repository is an orphan.
 */
@ApplicationScoped
public class LiveExecutions {

    private final Instant since = Instant.now();

    /** Created with the deployment, not at first use: {@link #since} is the deployment's start. */
    void deployed(@Observes @Initialized(ApplicationScoped.class) Object event) {
        // nothing to do: observing the event is what instantiates the bean now
    }

    private final Set<Long> executions = ConcurrentHashMap.newKeySet();
    private final java.util.LinkedHashSet<Long> ended = new java.util.LinkedHashSet<>();

    public void begin(long executionId) {
        executions.add(executionId);
    }

    public void end(long executionId) {
        executions.remove(executionId);
        synchronized (ended) {
            ended.add(executionId);
            if (ended.size() > 10_000) {
                ended.remove(ended.iterator().next());
            }
        }
    }

    /**
     * Whether this execution ran in this JVM and is over: if its row still says STARTED, JBeret could not write its
     * end (the database was gone), and it is an orphan now, whatever its age.
     */
    public boolean endedHere(long executionId) {
        synchronized (ended) {
            return ended.contains(executionId);
        }
    }

    public boolean contains(long executionId) {
        return executions.contains(executionId);
    }

    /** Whether this deployment started after {@code created}: an execution created then belongs to an earlier JVM. */
    public boolean bootedAfter(Instant created) {
        return created != null && created.isBefore(since);
    }

    public List<Long> snapshot() {
        return List.copyOf(executions);
    }
}
