package dev.agentbatch.task;

import java.util.Set;

import jakarta.batch.runtime.BatchStatus;

/**
 * What the end of a job execution means for its task: decided from the execution's batch status <em>and</em> exit
 * status, never from the batch status alone (a STOPPED execution is a person's stop only when its exit status says
 * so: a hand-off, an interruption by another node and an approval wait are STOPPED too). The job listener,
 * crash recovery, takeover and the stranded-task sweep all decide through {@link #of}.
 *
 * @param state  the task's state after the execution, or null while the execution runs. A FENCED execution reads as
 *               FAILED but never changes its task: settling is guarded by the task's current execution, and a newer
 *               one carries it.
 * @param resume the execution ended without ending the task (hand-off, interruption, node lost): the task stays
 *               RUNNING and is restarted from its checkpoint by the node that owns it, or by any live node
 */
public record ExecutionOutcome(TaskState state, String exitStatus, boolean resume) {

    private static final Set<String> RESUMED = Set.of(ExitStatus.HANDED_OFF, ExitStatus.INTERRUPTED, ExitStatus.NODE_LOST,
            ExitStatus.DATABASE_UNAVAILABLE);

    public static ExecutionOutcome of(BatchStatus batchStatus, String exitStatus) {
        String exit = exitStatus == null || exitStatus.isBlank() ? null : exitStatus.trim();
        if (exit != null && RESUMED.contains(exit) && batchStatus != BatchStatus.STARTING && batchStatus != BatchStatus.STARTED) {
            return new ExecutionOutcome(TaskState.RUNNING, exit, true);
        }
        return switch (batchStatus) {
            case COMPLETED -> new ExecutionOutcome(TaskState.COMPLETED, ExitStatus.COMPLETED, false);
            case FAILED -> new ExecutionOutcome(TaskState.FAILED, exit == null ? ExitStatus.FAILED : exit, false);
            case ABANDONED -> new ExecutionOutcome(TaskState.FAILED, ExitStatus.ABANDONED, false);
            case STOPPED, STOPPING -> ExitStatus.AWAITING_APPROVAL.equals(exit)
                    ? new ExecutionOutcome(TaskState.AWAITING_APPROVAL, exit, false)
                    : new ExecutionOutcome(TaskState.STOPPED,
                    exit == null || exit.equals(BatchStatus.STOPPING.name()) ? ExitStatus.STOPPED : exit, false);
            case STARTING, STARTED -> new ExecutionOutcome(null, exit, false);
        };
    }

    /** Whether the execution is over as far as the task is concerned (settled, or to be resumed). */
    public boolean ended() {
        return state != null;
    }
}
