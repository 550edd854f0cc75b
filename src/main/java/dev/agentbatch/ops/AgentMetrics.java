package dev.agentbatch.ops;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.agentbatch.task.TaskState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The agent's meters, registered in the server's Micrometer registry and scraped with the server's own at the
 * management interface's {@code /metrics} (Prometheus format). Names start with {@code agent_batch}.
 */
@ApplicationScoped
public class AgentMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<TaskState, AtomicLong> tasksByState = new EnumMap<>(TaskState.class);
    private final AtomicLong queueDepth = new AtomicLong();
    /** Counters by name and tags, looked up in the registry once (see {@link #counter}). */
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private BucketHistogram iterationDuration;
    private BucketHistogram modelLatency;
    private BucketHistogram approvalDecision;

    /*
     * Only MeterRegistry's own methods (counter/timer/gauge with name and tags) are used: WildFly hands the
     * deployment an ApplicationRegistry that forwards exactly those to the server's exported registry; a meter
     * built with Counter.builder(..).register(registry) would stay in a local registry nobody scrapes. For the
     * same reason the duration histograms are built from gauges ({@link BucketHistogram}).
     */
    @PostConstruct
    void register() {
        for (TaskState state : TaskState.values()) {
            AtomicLong value = new AtomicLong();
            tasksByState.put(state, value);
            registry.gauge("agent_batch.tasks", Tags.of("state", state.name()), value, AtomicLong::get);
        }
        registry.gauge("agent_batch.queue.depth", Tags.empty(), queueDepth, AtomicLong::get);
        iterationDuration = new BucketHistogram(registry, "agent_batch.iteration.duration.seconds");
        modelLatency = new BucketHistogram(registry, "agent_batch.model.latency.seconds");
        approvalDecision = new BucketHistogram(registry, "agent_batch.approval.decision.seconds",
                BucketHistogram.HUMAN_BOUNDS_SECONDS);
    }

    /**
     * Takes this deployment's meters out of the server's registry. Micrometer finds a meter by name and tags, so
     * after a redeploy the new deployment's gauges would otherwise bind to the old deployment's (collected) values.
     */
    @PreDestroy
    void unregister() {
        counters.clear();
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("agent_batch")) {
                registry.remove(meter);
            }
        }
    }

    /**
     * The counter, looked up in the registry once: WildFly's ApplicationRegistry searches every meter of the server
     * on each {@code counter(name, tags)} call, which was the top Micrometer frame of the B3 profile (about 4 % of
     * the server's CPU at 1000 tasks).
     */
    private Counter counter(String name, Tags tags) {
        return counters.computeIfAbsent(name + tags, key -> registry.counter(name, tags));
    }

    /** One pass of the dispatcher ended (woken or swept): its liveness, and a clock tests can wait on. */
    public void dispatchPass() {
        counter("agent_batch.dispatch.passes", Tags.empty()).increment();
    }

    /**
     * Called by the dispatcher with a fresh count of the tasks in some states (every state it counted is a key; the
     * gauges of the others keep their last count). The queue depth moves when the queued states were counted.
     */
    public void tasks(Map<TaskState, Long> counts) {
        counts.forEach((state, count) -> tasksByState.get(state).set(count));
        if (counts.keySet().stream().anyMatch(TaskState::isQueued)) {
            queueDepth.set(counts.entrySet().stream().filter(e -> e.getKey().isQueued()).mapToLong(Map.Entry::getValue).sum());
        }
    }

    public void iteration(Duration took, long promptTokens, long completionTokens) {
        counter("agent_batch.iterations", Tags.empty()).increment();
        iterationDuration.record(took);
        counter("agent_batch.tokens", Tags.of("kind", "prompt")).increment(promptTokens);
        counter("agent_batch.tokens", Tags.of("kind", "completion")).increment(completionTokens);
    }

    /** @param outcome success, replayed (from the journal: not paid), transient_error or permanent_error */
    public void modelCall(String outcome, Duration latency) {
        counter("agent_batch.model.calls", Tags.of("outcome", outcome)).increment();
        if (latency != null) {
            modelLatency.record(latency);
        }
    }

    /** @param outcome completed, failed, reused (from the ledger: not run again) or retrying */
    public void toolCall(String tool, String outcome) {
        counter("agent_batch.tool.calls", Tags.of("tool", tool, "outcome", outcome)).increment();
    }

    /** A tool call found STARTED after a crash and run again with the same idempotency key. */
    public void toolCallInDoubt(String tool) {
        counter("agent_batch.tool.calls.in_doubt", Tags.of("tool", tool)).increment();
    }

    /** A chunk retried after a transient failure. */
    public void retry() {
        counter("agent_batch.retries", Tags.empty()).increment();
    }

    /** A permanent tool error given back to the model, counted against the skip limit. */
    public void skip() {
        counter("agent_batch.skips", Tags.empty()).increment();
    }

    /** @param outcome requested, approved, denied or timed_out */
    public void approval(String outcome) {
        counter("agent_batch.approvals", Tags.of("outcome", outcome)).increment();
    }

    /** How long a decision took, from the request to the decision (the timeout's included). */
    public void approvalDecision(Duration took) {
        approvalDecision.record(took);
    }
}
