package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void acceptsIsoDurations() {
        assertEquals(Duration.ofSeconds(30), Durations.parse("PT30S"));
        assertEquals(Duration.ofMinutes(5), Durations.parse("pt5m"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
        assertEquals(Duration.ofDays(1), Durations.parse("P1D"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("PT1.5S"));
    }

    @Test
    void acceptsSeconds() {
        assertEquals(Duration.ofSeconds(90), Durations.parse("90"));
        assertEquals(Duration.ofMillis(2500), Durations.parse(" 2.5 "));
    }

    @Test
    void rejectsTheRest() {
        for (String bad : new String[] {"", "soon", "5m", "-5", "PT", "PT-5S", "0", "PT0S", "P1M", "1e3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("must be"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void printsBackTheWayTheApiSpellsIt() {
        assertEquals("PT5M", Durations.parse("300").toString());
    }

    @Test
    void formatsElapsedTimeForPeople() {
        assertEquals("4.2s", Durations.human(Duration.ofMillis(4200)));
        assertEquals("3m07s", Durations.human(Duration.ofSeconds(187)));
        assertEquals("1h02m", Durations.human(Duration.ofMinutes(62)));
    }
}
