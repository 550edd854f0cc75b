package dev.agentbatch.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;

import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.JobInstance;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;

/** The job repository rows of a task (JOB_EXECUTION and STEP_EXECUTION), read through the JobOperator. */
public record ExecutionView(long executionId, long jobInstanceId, String jobName, String batchStatus, String exitStatus,
                            Date createTime, Date startTime, Date endTime, List<Step> steps) {

    public record Step(long stepExecutionId, String stepName, String batchStatus, String exitStatus, long readCount,
                       long writeCount, long commitCount, long rollbackCount, long processSkipCount) {
    }

    public record Page(List<ExecutionView> executions) {
    }

    public static Page of(JobOperator operator, Long latestExecutionId) {
        if (latestExecutionId == null) {
            return new Page(List.of());
        }
        JobInstance instance = operator.getJobInstance(latestExecutionId);
        List<ExecutionView> views = new ArrayList<>();
        for (JobExecution e : operator.getJobExecutions(instance)) {
            List<Step> steps = new ArrayList<>();
            for (StepExecution s : operator.getStepExecutions(e.getExecutionId())) {
                steps.add(new Step(s.getStepExecutionId(), s.getStepName(), String.valueOf(s.getBatchStatus()),
                        s.getExitStatus(), metric(s, Metric.MetricType.READ_COUNT), metric(s, Metric.MetricType.WRITE_COUNT),
                        metric(s, Metric.MetricType.COMMIT_COUNT), metric(s, Metric.MetricType.ROLLBACK_COUNT),
                        metric(s, Metric.MetricType.PROCESS_SKIP_COUNT)));
            }
            views.add(new ExecutionView(e.getExecutionId(), instance.getInstanceId(), e.getJobName(),
                    String.valueOf(e.getBatchStatus()), e.getExitStatus(), e.getCreateTime(), e.getStartTime(),
                    e.getEndTime(), steps));
        }
        views.sort(Comparator.comparingLong(ExecutionView::executionId));
        return new Page(views);
    }

    private static long metric(StepExecution s, Metric.MetricType type) {
        Metric[] metrics = s.getMetrics();
        if (metrics != null) {
            for (Metric m : metrics) {
                if (m.getType() == type) {
                    return m.getValue();
                }
            }
        }
        return 0;
    }
}
