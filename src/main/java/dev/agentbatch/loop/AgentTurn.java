package dev.agentbatch.loop;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ModelTurn;

/**
 * The item of the chunk: one iteration's model answer, read (or replayed from the journal) by the reader.
 *
 * @param deadline the earlier of the iteration deadline and the run deadline
 * @param allowedTools the task's allow-list, null for every tool
 * @param startedNanos {@link System#nanoTime()} when the iteration began
 * @param gated the ids of the calls that needed an approval, every one of them decided
 * @param written filled by the writer with the messages it appended to the transcript: once the chunk committed, the
 *                reader adds them to the conversation it keeps instead of reading it all back
 */
public record AgentTurn(long taskId, long executionId, int epoch, int iteration, ModelTurn model, boolean replayed,
                        Instant deadline, List<String> allowedTools, long startedNanos, Set<String> gated,
                        List<ChatMessage> written) {

    /** Whether the call needed a person's approval (it was decided before the turn was read: approved or denied). */
    public boolean isGated(String toolCallId) {
        return gated.contains(toolCallId);
    }
}
