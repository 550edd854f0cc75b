package dev.agentbatch.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The typed values of the options, checked before anything is sent. Each converter's message says what is
 * expected and what was given; {@link UsageErrors} puts the option's name in front.
 */
final class Values {

    static final List<String> STATES = List.of("PENDING", "RESTART_PENDING", "STARTING", "RUNNING", "COMPLETED",
            "FAILED", "STOPPED");

    private Values() {
    }

    /** An integer within bounds, e.g. {@code --priority must be an integer 0-9, got 10}. */
    abstract static class Bounded implements ITypeConverter<Long> {

        private final long min;
        private final long max;

        Bounded(long min, long max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Long convert(String value) {
            String range = max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                    ? (min == 1 ? "a positive integer" : "an integer >= " + min)
                    : "an integer " + min + "-" + max;
            if (!value.trim().matches("-?[0-9]{1,18}")) {
                throw new TypeConversionException("must be " + range + ", got '" + value + "'");
            }
            long parsed = Long.parseLong(value.trim());
            if (parsed < min || parsed > max) {
                throw new TypeConversionException("must be " + range + ", got " + parsed);
            }
            return parsed;
        }
    }

    static final class Priority extends Bounded {
        Priority() {
            super(0, 9);
        }
    }

    static final class PositiveInt extends Bounded {
        PositiveInt() {
            super(1, Integer.MAX_VALUE);
        }
    }

    static final class PositiveLong extends Bounded {
        PositiveLong() {
            super(1, Long.MAX_VALUE);
        }
    }

    static final class RetentionDays extends Bounded {
        RetentionDays() {
            super(0, 36_500);
        }
    }

    /** ISO-8601 ({@code PT30M}) or seconds ({@code 1800}). */
    static final class DurationValue implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage() + ", got '" + value + "'");
            }
        }
    }

    static final class TaskId implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            if (!value.matches("[0-9]{1,18}")) {
                throw new TypeConversionException("task id must be a number, got '" + value + "'");
            }
            return Long.parseLong(value);
        }
    }

    /** A state of the table in the README's "Task states and exit statuses", any case. */
    static final class State implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String state = value.trim().toUpperCase(Locale.ROOT);
            if (!STATES.contains(state)) {
                throw new TypeConversionException("must be one of " + String.join(", ", STATES));
            }
            return state;
        }
    }

    /** Refuses a blank value rather than sending it. */
    static final class NonBlank implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("must not be empty");
            }
            return value;
        }
    }
}
