package dev.agentbatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import jakarta.batch.runtime.BatchStatus;

/** The one table of states, and how the end of an execution becomes a task state. */
class TaskStateTest {

    @Test
    void theQueueLeadsToStartingAndOnlyStartedTasksRun() {
        assertTrue(TaskState.PENDING.canMoveTo(TaskState.STARTING));
        assertTrue(TaskState.RESTART_PENDING.canMoveTo(TaskState.STARTING));
        assertTrue(TaskState.STARTING.canMoveTo(TaskState.RUNNING));
        assertTrue(TaskState.STARTING.canMoveTo(TaskState.PENDING), "an unstarted claim goes back");
        assertFalse(TaskState.PENDING.canMoveTo(TaskState.RUNNING), "a job started by hand never carries a queued task");
        assertFalse(TaskState.PENDING.canMoveTo(TaskState.RESTART_PENDING));
    }

    @Test
    void onlyFailedOrStoppedTasksRestartAndCompletedIsFinal() {
        assertTrue(TaskState.FAILED.canMoveTo(TaskState.RESTART_PENDING));
        assertTrue(TaskState.STOPPED.canMoveTo(TaskState.RESTART_PENDING));
        assertTrue(TaskState.FAILED.canMoveTo(TaskState.RUNNING), "jboss-cli restart-job bypasses the queue");
        assertTrue(TaskState.RESTART_PENDING.canMoveTo(TaskState.RUNNING), "…and takes a queued restart out of the queue");
        for (TaskState next : TaskState.values()) {
            assertFalse(TaskState.COMPLETED.canMoveTo(next), "COMPLETED → " + next);
        }
        assertFalse(TaskState.RUNNING.canMoveTo(TaskState.PENDING));
        assertFalse(TaskState.CARRIABLE.contains(TaskState.PENDING));
        assertFalse(TaskState.CARRIABLE.contains(TaskState.COMPLETED));
    }

    @Test
    void aTaskAwaitingApprovalGoesBackToTheQueueOrIsStoppedAndNothingElse() {
        assertTrue(TaskState.RUNNING.canMoveTo(TaskState.AWAITING_APPROVAL));
        assertTrue(TaskState.AWAITING_APPROVAL.canMoveTo(TaskState.RESTART_PENDING), "every gated call decided");
        assertTrue(TaskState.RUNNING.canMoveTo(TaskState.RESTART_PENDING), "decided while the execution was stopping");
        assertTrue(TaskState.AWAITING_APPROVAL.canMoveTo(TaskState.STOPPED), "a stop ends the wait");
        assertTrue(TaskState.AWAITING_APPROVAL.canMoveTo(TaskState.RUNNING), "jboss-cli restart-job: it stops at the gate again");
        assertFalse(TaskState.AWAITING_APPROVAL.canMoveTo(TaskState.COMPLETED));
        assertFalse(TaskState.AWAITING_APPROVAL.canMoveTo(TaskState.FAILED));
        assertFalse(TaskState.AWAITING_APPROVAL.isTerminal());
        assertFalse(TaskState.AWAITING_APPROVAL.isQueued(), "it holds no slot and is not in the queue");
        assertEquals(new ExecutionOutcome(TaskState.AWAITING_APPROVAL, "AWAITING_APPROVAL", false),
                ExecutionOutcome.of(BatchStatus.STOPPED, "AWAITING_APPROVAL"));
    }

    @Test
    void terminalAndQueuedStates() {
        assertTrue(TaskState.COMPLETED.isTerminal() && TaskState.FAILED.isTerminal() && TaskState.STOPPED.isTerminal());
        assertFalse(TaskState.RESTART_PENDING.isTerminal() || TaskState.STARTING.isTerminal() || TaskState.RUNNING.isTerminal());
        assertTrue(TaskState.PENDING.isQueued() && TaskState.RESTART_PENDING.isQueued());
        assertFalse(TaskState.STARTING.isQueued());
    }

    @Test
    void theOutcomeReadsTheExitStatusNotOnlyTheBatchStatus() {
        assertEquals(new ExecutionOutcome(TaskState.COMPLETED, "COMPLETED", false), ExecutionOutcome.of(BatchStatus.COMPLETED, null));
        assertEquals(new ExecutionOutcome(TaskState.FAILED, "ITERATION_LIMIT", false),
                ExecutionOutcome.of(BatchStatus.FAILED, "ITERATION_LIMIT"));
        assertEquals(new ExecutionOutcome(TaskState.FAILED, "FAILED", false), ExecutionOutcome.of(BatchStatus.FAILED, " "));
        assertEquals(new ExecutionOutcome(TaskState.STOPPED, "STOPPED", false), ExecutionOutcome.of(BatchStatus.STOPPED, "STOPPED"));
        assertEquals(new ExecutionOutcome(TaskState.STOPPED, "STOPPED", false), ExecutionOutcome.of(BatchStatus.STOPPING, null));
        assertEquals(new ExecutionOutcome(TaskState.FAILED, "ABANDONED", false), ExecutionOutcome.of(BatchStatus.ABANDONED, "x"));
        assertNull(ExecutionOutcome.of(BatchStatus.STARTED, null).state(), "a running execution decides nothing");
        assertFalse(ExecutionOutcome.of(BatchStatus.STARTING, null).ended());
    }

    @Test
    void aHandOffAnInterruptionOrALostNodeResumesTheTaskInsteadOfEndingIt() {
        assertEquals(new ExecutionOutcome(TaskState.RUNNING, "HANDED_OFF", true), ExecutionOutcome.of(BatchStatus.STOPPED, "HANDED_OFF"));
        assertEquals(new ExecutionOutcome(TaskState.RUNNING, "INTERRUPTED", true), ExecutionOutcome.of(BatchStatus.STOPPED, "INTERRUPTED"));
        assertEquals(new ExecutionOutcome(TaskState.RUNNING, "NODE_LOST", true), ExecutionOutcome.of(BatchStatus.FAILED, "NODE_LOST"));
        assertEquals(new ExecutionOutcome(TaskState.STOPPED, "STOPPED", false), ExecutionOutcome.of(BatchStatus.STOPPED, "STOPPED"),
                "only a person's stop is final");
    }
}
