package dev.agentbatch.loop;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.agentbatch.task.ExitStatus;

/**
 * The limits of one execution, as agent-task.xml resolved them (defaults, job parameters, restart overrides).
 * Pure: it is handed the clock's readings.
 */
record Limits(int maxIterations, Long budgetTokens, Duration runDeadline, Instant runStartedAt, Duration iterationTimeout,
              int toolFailureLimit, Duration approvalWait) {

    static Limits of(String maxIterations, String budgetTokens, String deadline, String iterationTimeoutSeconds,
                     String toolFailureLimit, Instant startedAt) {
        return new Limits(
                blank(maxIterations) ? 20 : Integer.parseInt(maxIterations.trim()),
                blank(budgetTokens) ? null : Long.valueOf(budgetTokens.trim()),
                blank(deadline) ? null : parseDuration(deadline.trim()),
                startedAt == null ? Instant.now() : startedAt,
                Duration.ofSeconds(blank(iterationTimeoutSeconds) ? 120 : Long.parseLong(iterationTimeoutSeconds.trim())),
                blank(toolFailureLimit) ? 10 : Integer.parseInt(toolFailureLimit.trim()), Duration.ZERO);
    }

    /**
     * The same limits, with the run's deadline pushed back by the time the task waited for people to decide on its
     * approvals: the deadline counts the agent's time (the queue's included), never a person's.
     */
    Limits excludingApprovalWait(Duration waited) {
        return new Limits(maxIterations, budgetTokens, runDeadline, runStartedAt, iterationTimeout, toolFailureLimit, waited);
    }

    /** When the run's deadline passes (null: it has none). */
    private Instant runEnd() {
        return runDeadline == null ? null : runStartedAt.plus(approvalWait).plus(runDeadline);
    }

    /**
     * @return the moment the iteration about to start must be done by (the earlier of the iteration and the run deadline)
     * @throws AgentFailure when a limit is already spent
     */
    Instant check(int nextIteration, long tokensUsed, int toolFailures, Instant now) {
        if (toolFailures > toolFailureLimit) {
            throw new AgentFailure(ExitStatus.TOOL_FAILURES, toolFailures + " tool calls failed, more than the skip limit of "
                    + toolFailureLimit + "; the last errors are in the transcript");
        }
        if (nextIteration > maxIterations) {
            throw new AgentFailure(ExitStatus.ITERATION_LIMIT,
                    "the task used its " + maxIterations + " iterations without a final answer");
        }
        if (budgetTokens != null && tokensUsed >= budgetTokens) {
            throw new AgentFailure(ExitStatus.BUDGET_EXCEEDED,
                    "the task used " + tokensUsed + " tokens of its budget of " + budgetTokens);
        }
        if (runDeadlinePassed(now)) {
            throw deadlineFailure();
        }
        // a little under the transaction timeout, so the model call ends before the transaction manager aborts
        Instant iterationDeadline = now.plus(iterationTimeout.multipliedBy(9).dividedBy(10));
        if (runDeadline != null) {
            Instant runEnd = runEnd();
            return runEnd.isBefore(iterationDeadline) ? runEnd : iterationDeadline;
        }
        return iterationDeadline;
    }

    /** A pause, shortened so that it ends no later than the run's deadline. */
    Duration capToRunDeadline(Duration pause, Instant now) {
        if (runDeadline == null) {
            return pause;
        }
        Duration left = Duration.between(now, runEnd());
        return left.isNegative() ? Duration.ZERO : left.compareTo(pause) < 0 ? left : pause;
    }

    boolean runDeadlinePassed(Instant now) {
        return runDeadline != null && !now.isBefore(runEnd());
    }

    AgentFailure deadlineFailure() {
        return new AgentFailure(ExitStatus.DEADLINE_EXCEEDED,
                "the task's deadline of " + runDeadline + " from its first start (" + runStartedAt + ") has passed"
                        + (approvalWait.isZero() ? "" : " (not counting " + approvalWait + " spent waiting for approvals)"));
    }

    static Duration parseDuration(String iso) {
        try {
            return Duration.parse(iso);
        } catch (DateTimeParseException e) {
            throw new AgentFailure("INVALID_PARAMETER", "deadline is not an ISO-8601 duration: " + iso);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
