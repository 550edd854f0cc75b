package dev.agentbatch.queue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/** The job executions running in this JVM right now, as the job listener sees them begin and end. */
@ApplicationScoped
public class LiveExecutions {

    private final Set<Long> executions = ConcurrentHashMap.newKeySet();

    public void begin(long executionId) {
        executions.add(executionId);
    }

    public void end(long executionId) {
        executions.remove(executionId);
    }

    public boolean contains(long executionId) {
        return executions.contains(executionId);
    }

    public List<Long> snapshot() {
        return List.copyOf(executions);
    }
}
