package dev.agentbatch.loop;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th retry waits {@code min(cap, base × factor^(n-1))}, of which the
 * fraction {@code jitter} is drawn at random ({@code 1.0} = "full jitter": uniform in [0, delay]; {@code 0} =
 * none). A {@code Retry-After} the model sent wins when it is longer. Pure: the random source is injected.
 */
public record Backoff(Duration base, double factor, Duration cap, double jitter) {

    public Backoff {
        if (base.isNegative() || cap.isNegative() || factor < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff needs base, cap >= 0, factor >= 1, 0 <= jitter <= 1");
        }
    }

    /** Reads the job XML's properties (milliseconds, factor, jitter fraction). */
    public static Backoff of(String baseMs, String factor, String capMs, String jitter) {
        return new Backoff(Duration.ofMillis(Long.parseLong(baseMs.trim())), Double.parseDouble(factor.trim()),
                Duration.ofMillis(Long.parseLong(capMs.trim())), Double.parseDouble(jitter.trim()));
    }

    /**
     * @param retry 1 for the first retry
     * @param retryAfter what the server asked for, or null
     * @param random uniform in [0, 1)
     */
    public Duration delay(int retry, Duration retryAfter, DoubleSupplier random) {
        double exponential = base.toMillis() * Math.pow(factor, Math.max(0, retry - 1));
        double capped = Math.min(cap.toMillis(), exponential);
        double jittered = capped * (1 - jitter) + capped * jitter * random.getAsDouble();
        Duration delay = Duration.ofMillis(Math.round(jittered));
        return retryAfter != null && retryAfter.compareTo(delay) > 0 ? retryAfter : delay;
    }
}
