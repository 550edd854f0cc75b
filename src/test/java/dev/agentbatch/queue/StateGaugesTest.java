package dev.agentbatch.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.agentbatch.task.TaskState;

class StateGaugesTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Set<TaskState> ALL = EnumSet.allOf(TaskState.class);

    @Test
    void theLiveStatesAreCountedOnEveryPassAndTheFinishedOnesOncePerRefresh() {
        StateGauges gauges = new StateGauges(Duration.ofMinutes(1));

        assertEquals(ALL, gauges.toCount(T0), "the first pass counts every state");
        assertEquals(StateGauges.LIVE, gauges.toCount(T0.plusSeconds(1)));
        assertEquals(StateGauges.LIVE, gauges.toCount(T0.plusSeconds(59)));
        assertEquals(ALL, gauges.toCount(T0.plusSeconds(60)), "a minute after the finished states were counted");
        assertEquals(StateGauges.LIVE, gauges.toCount(T0.plusSeconds(61)));
    }

    @Test
    void theLiveStatesAreTheOnesATaskCanLeaveWithoutARestart() {
        assertEquals(EnumSet.of(TaskState.PENDING, TaskState.RESTART_PENDING, TaskState.STARTING, TaskState.RUNNING,
                TaskState.AWAITING_APPROVAL), StateGauges.LIVE);
        assertEquals(EnumSet.of(TaskState.COMPLETED, TaskState.FAILED, TaskState.STOPPED), StateGauges.FINISHED);
    }

    @Test
    void aRefreshOfZeroCountsEveryStateOnEveryPass() {
        StateGauges gauges = new StateGauges(Duration.ZERO);

        assertEquals(ALL, gauges.toCount(T0));
        assertEquals(ALL, gauges.toCount(T0));
        assertEquals(ALL, gauges.toCount(T0.plusMillis(1)));
    }

    @Test
    void aPassWhoseCountFailedLeavesTheFinishedStatesToTheNext() {
        StateGauges gauges = new StateGauges(Duration.ofMinutes(1));
        gauges.toCount(T0);
        gauges.toCount(T0.plusSeconds(61));

        gauges.countFailed();

        assertEquals(ALL, gauges.toCount(T0.plusSeconds(62)));
    }
}
