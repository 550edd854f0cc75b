package dev.agentbatch.task;

import java.util.List;

/**
 * The body of {@code POST /api/tasks}.
 *
 * @param approvalRequired the tool calls that need a person's approval (see {@link
 *                         dev.agentbatch.approval.ApprovalPolicy}); null: the server's AGENT_BATCH_APPROVAL_TOOLS
 * @param approvalTimeout  how long a gated call waits for a decision (ISO-8601); null: AGENT_BATCH_APPROVAL_TIMEOUT
 * @param contextTokens    the model's context in tokens, for trimming long conversations; null: agent-task.xml's default
 */
public record TaskRequest(String input, Integer priority, String deadline, Integer maxIterations,
                          List<String> tools, Long budgetTokens, List<String> approvalRequired, String approvalTimeout,
                          Long contextTokens) {

    public TaskRequest(String input, Integer priority, String deadline, Integer maxIterations, List<String> tools,
                       Long budgetTokens) {
        this(input, priority, deadline, maxIterations, tools, budgetTokens, null, null, null);
    }
}
