package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ToolCall;

/** What a long conversation sends to the model: everything while it fits, else the oldest tool results shortened. */
class ContextWindowTest {

    /** iteration 0, then {@code iterations} iterations of one call with a result of {@code resultChars}. */
    private static List<ChatMessage> conversation(int iterations, int resultChars) {
        List<ChatMessage> messages = new ArrayList<>(List.of(ChatMessage.system("be careful"), ChatMessage.user("fix it")));
        for (int i = 1; i <= iterations; i++) {
            messages.add(ChatMessage.assistant(null, List.of(new ToolCall("call_" + i, "check_disk", "{}"))));
            messages.add(ChatMessage.tool("call_" + i, "check_disk", String.valueOf((char) ('a' + i % 26)).repeat(resultChars)));
        }
        return messages;
    }

    @Test
    void aConversationThatFitsIsSentAsItIs() {
        List<ChatMessage> conversation = conversation(5, 1000);
        ContextWindow.Fit fit = new ContextWindow(10_000, 1_000, 2).fit(conversation, 0, 0);
        assertSame(conversation, fit.messages());
        assertFalse(fit.trimmed());
        assertEquals(null, fit.describe());
    }

    @Test
    void theOldestToolResultsAreShortenedFirstAndTheLatestIterationsAndThePromptNever() {
        // 60 iterations of 8 KB results: ~120,000 tokens, in a 32,000-token window
        List<ChatMessage> conversation = conversation(60, 8000);
        ContextWindow.Fit fit = new ContextWindow(32_000, 2_000, 4).fit(conversation, 0, 0);

        assertTrue(fit.estimatedTokens() <= 30_000, "fits: " + fit.estimatedTokens());
        assertEquals(conversation.size(), fit.messages().size(), "no message is removed: each call keeps its result");
        assertEquals(conversation.subList(0, 2), fit.messages().subList(0, 2), "the system prompt and the request whole");
        List<ChatMessage> latest = conversation.subList(conversation.size() - 8, conversation.size());
        assertEquals(latest, fit.messages().subList(conversation.size() - 8, conversation.size()), "the last 4 iterations whole");
        assertTrue(fit.messages().get(3).content().startsWith("b".repeat(200) + "… [7800 characters left out"),
                fit.messages().get(3).content());
        int firstWhole = 0;
        for (int i = 3; i < fit.messages().size(); i += 2) {
            if (fit.messages().get(i).content().length() == 8000) {
                firstWhole = i;
                break;
            }
        }
        for (int i = firstWhole; i < fit.messages().size(); i += 2) {
            assertEquals(8000, fit.messages().get(i).content().length(), "only the oldest are shortened: " + i);
        }
        assertEquals(fit.shortened(), (firstWhole - 3) / 2);
        assertTrue(fit.describe().startsWith(fit.shortened() + " old tool result(s) shortened"), fit.describe());
        assertEquals(fit, new ContextWindow(32_000, 2_000, 4).fit(conversation, 0, 0), "deterministic");
    }

    @Test
    void theModelsOwnCountOfThePreviousRequestWeighsMoreThanCharacters() {
        List<ChatMessage> conversation = conversation(3, 400);
        long chars = ContextWindow.chars(conversation);
        // the model counted 5,000 tokens for a request of all but the last 400 characters
        assertEquals(5_000 + 100, ContextWindow.estimate(conversation, 5_000, chars - 400));
        assertTrue(new ContextWindow(5_000, 0, 1).fit(conversation, 5_000, chars - 400).trimmed());
    }

    @Test
    void halvedLeavesHalfTheRoomAndFewerWholeIterations() {
        ContextWindow halved = new ContextWindow(10_000, 2_000, 4).halved();
        assertEquals(new ContextWindow(6_000, 2_000, 2), halved);
    }
}
