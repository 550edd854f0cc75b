package dev.agentbatch.loop;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;

/** {@code [task T exec E] }: every log line about a task starts with it, so operators can grep one task's story. */
final class LogPrefix {

    private LogPrefix() {
    }

    static String of(JobContext job) {
        String taskId;
        try {
            taskId = BatchRuntime.getJobOperator().getParameters(job.getExecutionId()).getProperty("taskId", "?");
        } catch (RuntimeException e) {
            taskId = "?";
        }
        return "[task " + taskId + " exec " + job.getExecutionId() + "] ";
    }
}
