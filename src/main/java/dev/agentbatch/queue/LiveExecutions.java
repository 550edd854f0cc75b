package dev.agentbatch.queue;

import java.time.Duration;
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

    /**
     * How long after its job listener ends an execution its row may still read running: JBeret writes the execution's
     * end right after the listeners return, so a row that still says STARTED or STOPPING after this was never written.
     * Before it, the row is merely late: a sweep that read it as an orphan then would settle the task from a status
     * JBeret is about to overwrite (a task interrupted by another node's stop, resumed here, ended STOPPED).
     */
    static final Duration END_WRITE_GRACE = Duration.ofSeconds(5);

    private final Set<Long> executions = ConcurrentHashMap.newKeySet();
    /** Executions that ended in this JVM, with when their listener saw them end (the newest 10,000). */
    private final java.util.LinkedHashMap<Long, Instant> ended = new java.util.LinkedHashMap<>();

    public void begin(long executionId) {
        executions.add(executionId);
    }

    public void end(long executionId) {
        executions.remove(executionId);
        synchronized (ended) {
            ended.put(executionId, Instant.now());
            if (ended.size() > 10_000) {
                ended.remove(ended.keySet().iterator().next());
            }
        }
    }

    /**
     * Whether this execution ran in this JVM and ended more than {@link #END_WRITE_GRACE} ago: if its row still says
     * STARTED or STOPPING, JBeret could not write its end (the database was gone), and it is an orphan now, whatever
     * its age.
     */
    public boolean endedHere(long executionId) {
        return endedHere(executionId, Instant.now());
    }

    boolean endedHere(long executionId, Instant now) {
        Instant at;
        synchronized (ended) {
            at = ended.get(executionId);
        }
        return at != null && at.plus(END_WRITE_GRACE).isBefore(now);
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
