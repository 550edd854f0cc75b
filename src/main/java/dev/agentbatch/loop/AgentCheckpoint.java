package dev.agentbatch.loop;

import java.io.Serializable;

/**
 * The reader's checkpoint: the number of committed iterations, nothing more. The conversation lives in
 * AGENT_MESSAGE rows, so STEP_EXECUTION.READERCHECKPOINTINFO stays a few bytes however long the task runs.
 */
public record AgentCheckpoint(int iterations) implements Serializable {
}
