package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.agentbatch.task.ExitStatus;

class LimitsTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void defaultsWhenNothingIsSet() {
        Limits limits = Limits.of(null, "", null, null, null, T0);
        assertEquals(20, limits.maxIterations());
        assertEquals(Duration.ofSeconds(120), limits.iterationTimeout());
        assertEquals(T0.plusSeconds(108), limits.check(1, 0, 0, T0), "90 % of the iteration timeout");
    }

    @Test
    void iterationLimit() {
        Limits limits = Limits.of("3", null, null, "10", "2", T0);
        limits.check(3, 0, 0, T0);
        AgentFailure failure = assertThrows(AgentFailure.class, () -> limits.check(4, 0, 0, T0));
        assertEquals(ExitStatus.ITERATION_LIMIT, failure.exitStatus());
    }

    @Test
    void toolFailuresPastTheSkipLimit() {
        Limits limits = Limits.of("20", null, null, "10", "2", T0);
        limits.check(2, 0, 2, T0);
        assertEquals(ExitStatus.TOOL_FAILURES,
                assertThrows(AgentFailure.class, () -> limits.check(3, 0, 3, T0)).exitStatus());
    }

    @Test
    void pausesNeverPassTheRunDeadline() {
        Limits limits = Limits.of("20", null, "PT10S", "120", null, T0);
        assertEquals(Duration.ofSeconds(4), limits.capToRunDeadline(Duration.ofSeconds(30), T0.plusSeconds(6)));
        assertEquals(Duration.ofSeconds(1), limits.capToRunDeadline(Duration.ofSeconds(1), T0));
        assertEquals(Duration.ZERO, limits.capToRunDeadline(Duration.ofSeconds(1), T0.plusSeconds(11)));
    }

    @Test
    void budget() {
        Limits limits = Limits.of("20", "100", null, "10", null, T0);
        limits.check(1, 99, 0, T0);
        assertEquals(ExitStatus.BUDGET_EXCEEDED,
                assertThrows(AgentFailure.class, () -> limits.check(2, 100, 0, T0)).exitStatus());
    }

    @Test
    void runDeadlineIsMeasuredFromTheFirstStartAndCapsTheIteration() {
        Limits limits = Limits.of("20", null, "PT30S", "120", null, T0);
        assertEquals(T0.plusSeconds(30), limits.check(1, 0, 0, T0.plusSeconds(5)), "the run ends before the iteration would");
        assertEquals(ExitStatus.DEADLINE_EXCEEDED,
                assertThrows(AgentFailure.class, () -> limits.check(2, 0, 0, T0.plusSeconds(30))).exitStatus());
    }

    @Test
    void theTimeSpentWaitingForApprovalsDoesNotCountAgainstTheRunDeadline() {
        Limits limits = Limits.of("20", null, "PT30S", "120", null, T0).excludingApprovalWait(java.time.Duration.ofMinutes(10));
        assertEquals(T0.plusSeconds(630), limits.check(2, 0, 0, T0.plusSeconds(600)), "ten minutes of waiting are added");
        AgentFailure failure = assertThrows(AgentFailure.class, () -> limits.check(3, 0, 0, T0.plusSeconds(630)));
        assertEquals(ExitStatus.DEADLINE_EXCEEDED, failure.exitStatus());
        assertTrue(failure.getMessage().contains("not counting PT10M spent waiting for approvals"), failure.getMessage());
    }
}
