package dev.agentbatch.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;

import dev.agentbatch.approval.ApprovalPolicy;
import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.tools.ToolRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Validation at the door: bad input is refused with a detail that says what to fix, before anything is stored. */
@ApplicationScoped
public class TaskValidator {

    public static final int MAX_INPUT_BYTES = 256 * 1024;
    public static final int DEFAULT_PRIORITY = 4;
    public static final int MAX_KEY_LENGTH = 200;

    @Inject
    ToolRegistry tools;
    @Inject
    AgentBatchConfig config;

    /** @return the request with defaults applied (priority) and tools de-duplicated */
    public TaskRequest validate(TaskRequest r, String idempotencyKey) {
        if (r == null) {
            throw ApiProblem.invalid("a JSON body with at least \"input\" is required");
        }
        if (r.input() == null || r.input().isBlank()) {
            throw ApiProblem.invalid("\"input\" is required and must not be empty");
        }
        if (r.input().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
            throw ApiProblem.invalid("\"input\" is larger than " + MAX_INPUT_BYTES / 1024 + " KiB");
        }
        int priority = r.priority() == null ? DEFAULT_PRIORITY : r.priority();
        if (priority < 0 || priority > 9) {
            throw ApiProblem.invalid("\"priority\" must be between 0 and 9 (9 runs first), got " + priority);
        }
        validateLimits(r.deadline(), r.maxIterations(), r.budgetTokens());
        List<String> toolList = null;
        if (r.tools() != null) {
            for (String name : r.tools()) {
                if (name == null || !tools.exists(name)) {
                    throw ApiProblem.invalid("\"tools\" names an unknown tool '" + name + "'; known tools: " + tools.names());
                }
            }
            toolList = List.copyOf(new LinkedHashSet<>(r.tools()));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_KEY_LENGTH)) {
            throw ApiProblem.invalid("the Idempotency-Key header must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        ApprovalPolicy approvals;
        try {
            approvals = ApprovalPolicy.of(r.approvalRequired() != null ? r.approvalRequired() : config.approvalTools(), tools);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalid((r.approvalRequired() != null ? "\"approvalRequired\": " : "AGENT_BATCH_APPROVAL_TOOLS: ")
                    + e.getMessage());
        }
        String approvalTimeout = r.approvalTimeout() != null ? r.approvalTimeout() : config.approvalTimeout().orElse(null);
        if (approvalTimeout != null) {
            positiveDuration("approvalTimeout", approvalTimeout);
        }
        if (r.contextTokens() != null && r.contextTokens() < 1024) {
            throw ApiProblem.invalid("\"contextTokens\" is the model's context in tokens, at least 1024, got " + r.contextTokens());
        }
        return new TaskRequest(r.input(), priority, r.deadline(), r.maxIterations(), toolList, r.budgetTokens(),
                approvals.rules(), approvalTimeout, r.contextTokens());
    }

    private static void positiveDuration(String field, String value) {
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw ApiProblem.invalid("\"" + field + "\" must be a positive duration, got " + value);
            }
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid("\"" + field + "\" must be an ISO-8601 duration such as PT5M, got '" + value + "'");
        }
    }

    /** The limits a task may carry, at submission and as restart overrides. */
    public static void validateLimits(String deadline, Integer maxIterations, Long budgetTokens) {
        if (deadline != null) {
            positiveDuration("deadline", deadline);
        }
        if (maxIterations != null && maxIterations <= 0) {
            throw ApiProblem.invalid("\"maxIterations\" must be a positive integer, got " + maxIterations);
        }
        if (budgetTokens != null && budgetTokens <= 0) {
            throw ApiProblem.invalid("\"budgetTokens\" must be a positive integer, got " + budgetTokens);
        }
    }
}
