package dev.agentbatch.task;

import java.util.List;

/** The body of {@code POST /api/tasks}. */
public record TaskRequest(String input, Integer priority, String deadline, Integer maxIterations,
                          List<String> tools, Long budgetTokens) {
}
