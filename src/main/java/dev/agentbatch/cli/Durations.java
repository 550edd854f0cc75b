package dev.agentbatch.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The API speaks ISO-8601 durations ({@code PT5M}), people type seconds: both are accepted
 * wherever the CLI takes a duration, and printed back the way the API spells them.
 */
final class Durations {

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms, for the caller to prefix with the option
     */
    static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Duration duration;
        if (t.matches("[0-9]+(\\.[0-9]+)?")) {
            BigDecimal millis = new BigDecimal(t).movePointRight(3);
            if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("is too long");
            }
            duration = Duration.ofMillis(millis.longValue());
        } else if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                duration = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "must be an ISO-8601 duration like PT30S, PT5M, PT1H30M or a number of seconds", e);
            }
        } else {
            throw new IllegalArgumentException(
                    "must be an ISO-8601 duration like PT30S, PT5M, PT1H30M or a number of seconds");
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return duration;
    }

    /** Short and human, for progress lines: {@code 45.2s}, {@code 3m07s}, {@code 1h02m}. */
    static String human(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
