package dev.agentbatch.ops;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * A Prometheus-style histogram of durations: cumulative {@code <name>{le="…"}} series (the registry drops the
 * reserved {@code _bucket} suffix) plus {@code <name>_count} and {@code <name>_sum}; {@code histogram_quantile()}
 * works on any series with an {@code le} label. Built from gauges because WildFly's per-deployment
 * registry forwards only {@code counter/timer/gauge(name, tags)} and refuses {@code MeterRegistry.Config}, which a
 * Micrometer timer needs to publish buckets.
 */
final class BucketHistogram {

    static final double[] BOUNDS_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    /** Bounds for waits on people: a second to a week. */
    static final double[] HUMAN_BOUNDS_SECONDS = {1, 10, 60, 300, 900, 3600, 14400, 86400, 604800};

    private final double[] bounds;
    private final AtomicLong[] buckets;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong sumNanos = new AtomicLong();

    BucketHistogram(MeterRegistry registry, String name) {
        this(registry, name, BOUNDS_SECONDS);
    }

    BucketHistogram(MeterRegistry registry, String name, double[] bounds) {
        this.bounds = bounds;
        this.buckets = new AtomicLong[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new AtomicLong();
            String le = i < bounds.length ? String.format(Locale.ROOT, "%s", bounds[i]) : "+Inf";
            registry.gauge(name + ".bucket", Tags.of("le", le), buckets[i], AtomicLong::get);
        }
        registry.gauge(name + ".count", Tags.empty(), count, AtomicLong::get);
        registry.gauge(name + ".sum", Tags.empty(), sumNanos, n -> n.get() / 1e9);
    }

    void record(Duration value) {
        double seconds = value.toNanos() / 1e9;
        for (int i = 0; i < buckets.length; i++) {
            if (i == bounds.length || seconds <= bounds[i]) {
                buckets[i].incrementAndGet();
            }
        }
        count.incrementAndGet();
        sumNanos.addAndGet(value.toNanos());
    }
}
