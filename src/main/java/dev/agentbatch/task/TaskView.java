package dev.agentbatch.task;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A task as the REST API shows it: {@code node} runs it (or ran it last) under {@code epoch}. */
public record TaskView(long id, TaskState state, String input, int priority, String result, String error,
                       String exitStatus, int iterations, Integer maxIterations, Long executionId, Long jobInstanceId,
                       String node, Instant createdAt, Instant updatedAt, Instant startedAt, Instant endedAt,
                       Usage usage, List<String> tools, String deadline, Long budgetTokens, int toolFailures, int epoch,
                       Instant queuedAt, String claimedBy, Instant claimedAt, Instant stopRequestedAt, String submittedBy,
                       List<String> approvalRequired, String approvalTimeout, List<Awaiting> awaiting, Long contextTokens) {

    public record Usage(long promptTokens, long completionTokens, long totalTokens) {
    }

    /** A gated call the task waits for: what a person is asked to decide. */
    public record Awaiting(int iteration, String toolCallId, String toolName, String arguments, Instant requestedAt,
                           Instant deadline) {
    }

    public static TaskView of(AgentTask t) {
        return of(t, null);
    }

    /** @param awaiting the undecided gated calls (GET /tasks/{id} only; null elsewhere) */
    public static TaskView of(AgentTask t, List<Awaiting> awaiting) {
        return new TaskView(t.id, t.state, t.input, t.priority, t.result, t.error, t.exitStatus, t.iterations,
                t.maxIterations, t.jobExecutionId, t.jobInstanceId, t.nodeId, t.createdAt, t.updatedAt, t.startedAt,
                t.endedAt, new Usage(t.promptTokens, t.completionTokens, t.totalTokens()),
                t.tools == null ? null : Arrays.asList(t.tools.split(",")), t.deadline, t.budgetTokens, t.toolFailures,
                t.epoch, t.queuedAt, t.claimedBy, t.claimedAt, t.stopRequestedAt, t.submittedBy,
                t.approvalRequired == null || t.approvalRequired.isBlank() ? List.of() : Arrays.asList(t.approvalRequired.split(",")),
                t.approvalTimeout, awaiting, t.contextTokens);
    }
}
