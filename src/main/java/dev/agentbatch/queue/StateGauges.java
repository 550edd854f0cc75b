package dev.agentbatch.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import dev.agentbatch.task.TaskState;

/**
 * Which task states a dispatcher pass counts for the tasks-by-state gauges. The live states every pass: their count
 * is an index range over the tasks in flight, whatever the history. The finished ones (COMPLETED, FAILED, STOPPED)
 * at most once per {@code AGENT_BATCH_FINISHED_GAUGE_REFRESH}: theirs is a count of every task kept (30 days by
 * default), which at a million rows took 415 ms on H2 and 276 ms on PostgreSQL, and passes run on every submit and
 * every task end. {@link Duration#ZERO} counts them on every pass. One instance per dispatcher, whose passes never
 * overlap.
 */
final class StateGauges {

    static final Set<TaskState> FINISHED = Collections.unmodifiableSet(
            EnumSet.copyOf(Arrays.stream(TaskState.values()).filter(TaskState::isTerminal).toList()));
    static final Set<TaskState> LIVE = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(FINISHED)));
    private static final Set<TaskState> ALL = Collections.unmodifiableSet(EnumSet.allOf(TaskState.class));

    private final Duration refresh;
    private Instant finishedCountedAt;

    StateGauges(Duration refresh) {
        this.refresh = refresh;
    }

    /** The states to count in a pass that begins at {@code now}; the finished ones are then counted as of now. */
    Set<TaskState> toCount(Instant now) {
        if (finishedCountedAt != null && now.isBefore(finishedCountedAt.plus(refresh))) {
            return LIVE;
        }
        finishedCountedAt = now;
        return ALL;
    }

    /** A pass whose count failed: the finished states are counted again by the next one. */
    void countFailed() {
        finishedCountedAt = null;
    }
}
