package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.model.Usage;
import dev.agentbatch.task.ExitStatus;

/** A model answer that could not be written is refused before it is journaled, so no replay is ever poisoned. */
class TurnValidatorTest {

    @Test
    void aNormalTurnPasses() {
        assertDoesNotThrow(() -> TurnValidator.validate(turn(new ToolCall("call_1", "check_disk", "{}"),
                new ToolCall("call_2", "clean_logs", "{\"olderThanDays\":7}")), 1));
        assertDoesNotThrow(() -> TurnValidator.validate(new ModelTurn(ChatMessage.assistant("done", List.of()), Usage.NONE), 2));
    }

    @Test
    void duplicateToolCallIdsAreRefused() {
        AgentFailure failure = assertThrows(AgentFailure.class, () -> TurnValidator.validate(
                turn(new ToolCall("call_1", "check_disk", "{}"), new ToolCall("call_1", "clean_logs", "{}")), 3));
        assertEquals(ExitStatus.INVALID_MODEL_ANSWER, failure.exitStatus());
        assertTrue(failure.getMessage().contains("same id 'call_1'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("iteration 3"), failure.getMessage());
    }

    @Test
    void oversizedOrMissingPartsAreRefused() {
        assertInvalid(turn(new ToolCall("x".repeat(300), "check_disk", "{}")), "300 characters");
        assertInvalid(turn(new ToolCall(null, "check_disk", "{}")), "no id");
        assertInvalid(turn(new ToolCall("call_1", "n".repeat(101), "{}")), "name");
        assertInvalid(turn(new ToolCall("call_1", "check_disk", "a".repeat(TurnValidator.MAX_ARGUMENTS + 1))), "arguments");
        assertInvalid(new ModelTurn(ChatMessage.assistant("c".repeat(1_000_001), List.of()), Usage.NONE), "content");
    }

    private static void assertInvalid(ModelTurn turn, String why) {
        AgentFailure failure = assertThrows(AgentFailure.class, () -> TurnValidator.validate(turn, 1));
        assertEquals(ExitStatus.INVALID_MODEL_ANSWER, failure.exitStatus());
        assertTrue(failure.getMessage().contains(why), failure.getMessage());
    }

    private static ModelTurn turn(ToolCall... calls) {
        return new ModelTurn(ChatMessage.assistant(null, List.of(calls)), Usage.NONE);
    }
}
