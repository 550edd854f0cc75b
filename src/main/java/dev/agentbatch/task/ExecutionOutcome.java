package dev.agentbatch.task;

import jakarta.batch.runtime.BatchStatus;

/**
 * What the end of a job execution means for its task: decided from the execution's batch status <em>and</em> exit
 * status, never from the batch status alone (a STOPPED execution is a person's stop only when its exit status says
 * so). The job listener, crash recovery and the stranded-task sweep all settle tasks through {@link #of}.
 *
 * @param state the task's state after the execution, or null while it runs. A FENCED execution reads as FAILED but never
 *              changes its task: settling is guarded by the task's current execution, and a newer one carries it.
 */
public record ExecutionOutcome(TaskState state, String exitStatus) {

    public static ExecutionOutcome of(BatchStatus batchStatus, String exitStatus) {
        String exit = exitStatus == null || exitStatus.isBlank() ? null : exitStatus.trim();
        return switch (batchStatus) {
            case COMPLETED -> new ExecutionOutcome(TaskState.COMPLETED, ExitStatus.COMPLETED);
            case FAILED -> new ExecutionOutcome(TaskState.FAILED, exit == null ? ExitStatus.FAILED : exit);
            case ABANDONED -> new ExecutionOutcome(TaskState.FAILED, ExitStatus.ABANDONED);
            case STOPPED, STOPPING -> new ExecutionOutcome(TaskState.STOPPED,
                    exit == null || exit.equals(BatchStatus.STOPPING.name()) ? ExitStatus.STOPPED : exit);
            case STARTING, STARTED -> new ExecutionOutcome(null, exit);
        };
    }

    /** Whether the execution is over as far as the task is concerned. */
    public boolean ended() {
        return state != null;
    }
}
