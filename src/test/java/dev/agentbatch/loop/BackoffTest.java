package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff DEFAULT = Backoff.of("1000", "2", "30000", "1.0");

    @Test
    void exponentialUpToTheCap() {
        Backoff noJitter = Backoff.of("1000", "2", "30000", "0");
        assertEquals(Duration.ofSeconds(1), noJitter.delay(1, null, () -> 0.5));
        assertEquals(Duration.ofSeconds(2), noJitter.delay(2, null, () -> 0.5));
        assertEquals(Duration.ofSeconds(4), noJitter.delay(3, null, () -> 0.5));
        assertEquals(Duration.ofSeconds(16), noJitter.delay(5, null, () -> 0.5));
        assertEquals(Duration.ofSeconds(30), noJitter.delay(6, null, () -> 0.5));
        assertEquals(Duration.ofSeconds(30), noJitter.delay(60, null, () -> 0.5));
    }

    @Test
    void fullJitterIsUniformUnderTheExponentialCurve() {
        assertEquals(Duration.ZERO, DEFAULT.delay(3, null, () -> 0.0));
        assertEquals(Duration.ofMillis(2000), DEFAULT.delay(3, null, () -> 0.5));
        assertEquals(Duration.ofMillis(3996), DEFAULT.delay(3, null, () -> 0.999));
        for (int i = 0; i < 1000; i++) {
            Duration d = DEFAULT.delay(4, null, Math::random);
            assertTrue(!d.isNegative() && d.compareTo(Duration.ofSeconds(8)) <= 0, d.toString());
        }
    }

    @Test
    void halfJitterKeepsHalfTheDelay() {
        Backoff half = Backoff.of("1000", "2", "30000", "0.5");
        assertEquals(Duration.ofMillis(1000), half.delay(2, null, () -> 0.0));
        assertEquals(Duration.ofMillis(1500), half.delay(2, null, () -> 0.5));
    }

    @Test
    void retryAfterWinsWhenLonger() {
        Backoff noJitter = Backoff.of("1000", "2", "30000", "0");
        assertEquals(Duration.ofSeconds(5), noJitter.delay(1, Duration.ofSeconds(5), () -> 0));
        assertEquals(Duration.ofSeconds(4), noJitter.delay(3, Duration.ofSeconds(1), () -> 0));
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.of("1000", "0.5", "30000", "1"));
        assertThrows(IllegalArgumentException.class, () -> Backoff.of("1000", "2", "30000", "1.5"));
    }
}
