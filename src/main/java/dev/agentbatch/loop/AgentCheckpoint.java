package dev.agentbatch.loop;

import java.io.Serializable;

/**
 * The reader's checkpoint as executions before 2026-11-29 wrote it: the number of committed iterations, in a record.
 * The reader now checkpoints a plain {@link Integer} (JBeret keeps a number as it is, where it serializes an object at
 * every chunk and reads it back as the chunk's backup); this class stays so that such an execution can still be
 * restarted. Either way STEP_EXECUTION.READERCHECKPOINTINFO holds the iteration count only: the conversation lives in
 * AGENT_MESSAGE rows.
 */
public record AgentCheckpoint(int iterations) implements Serializable {

    /** The iteration count a checkpoint of either form holds, or null (no checkpoint, or one of another kind). */
    static Integer iterations(Serializable checkpoint) {
        if (checkpoint instanceof Integer n) {
            return n;
        }
        return checkpoint instanceof AgentCheckpoint cp ? cp.iterations() : null;
    }
}
