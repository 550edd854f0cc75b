package dev.agentbatch.loop;

import java.util.ArrayList;
import java.util.List;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.Role;

/**
 * What of a long conversation is sent to the model: all of it while it fits the model's context, else the same
 * conversation with the oldest tool results shortened, never the system prompt, the user's request or the last
 * {@code keepIterations} iterations. Deterministic and free (no model call, no tokenizer): the size is estimated from the
 * model's own count for the previous request ({@code usage.prompt_tokens}) plus what was added since, at about four
 * characters a token. The transcript in the database is never changed: only the request is.
 *
 * @param contextTokens  the model's context, in tokens
 * @param reserveTokens  kept free for the answer
 * @param keepIterations the latest iterations always sent whole
 */
record ContextWindow(long contextTokens, long reserveTokens, int keepIterations) {

    static final int CHARS_PER_TOKEN = 4;
    /** What a shortened tool result keeps of itself, so the model still sees what the call was about. */
    static final int KEPT_CHARS = 200;

    /** The request to send, and what was left out of it. */
    record Fit(List<ChatMessage> messages, int shortened, long droppedChars, long estimatedTokens) {

        boolean trimmed() {
            return shortened > 0;
        }

        /** One line for the transcript and the log; null when nothing was left out. */
        String describe() {
            return shortened == 0 ? null : shortened + " old tool result(s) shortened (" + droppedChars
                    + " characters left out of the request; the transcript keeps them whole)";
        }
    }

    static ContextWindow of(String contextTokens, String reserveTokens, String keepIterations) {
        return new ContextWindow(blank(contextTokens) ? 128_000 : Long.parseLong(contextTokens.trim()),
                blank(reserveTokens) ? 4_096 : Long.parseLong(reserveTokens.trim()),
                blank(keepIterations) ? 4 : Integer.parseInt(keepIterations.trim()));
    }

    /** The same window, tighter: after the model refused a request as too long, the retry sends half. */
    ContextWindow halved() {
        return new ContextWindow(Math.max(1, (contextTokens - reserveTokens) / 2) + reserveTokens, reserveTokens,
                Math.max(1, keepIterations / 2));
    }

    /**
     * @param conversation      by iteration: iteration 0 (system, user) first, then each iteration's assistant message
     *                          followed by its tool results
     * @param lastPromptTokens  the model's {@code usage.prompt_tokens} for the previous request, or 0
     * @param lastPromptChars   the characters of that request, to weigh what was added since
     */
    Fit fit(List<ChatMessage> conversation, long lastPromptTokens, long lastPromptChars) {
        long budget = contextTokens - reserveTokens;
        long estimate = estimate(conversation, lastPromptTokens, lastPromptChars);
        if (estimate <= budget) {
            return new Fit(conversation, 0, 0, estimate);
        }
        int protectedFrom = firstProtected(conversation);
        List<ChatMessage> messages = new ArrayList<>(conversation);
        int shortened = 0;
        long dropped = 0;
        for (int i = 0; i < protectedFrom && estimate > budget; i++) {
            ChatMessage m = messages.get(i);
            if (m.role() != Role.TOOL || m.content() == null || m.content().length() <= KEPT_CHARS + 100) {
                continue;
            }
            String content = m.content();
            String shorter = content.substring(0, KEPT_CHARS) + "… [" + (content.length() - KEPT_CHARS)
                    + " characters left out of the model's context to make room; the full result is in the transcript]";
            messages.set(i, ChatMessage.tool(m.toolCallId(), m.toolName(), shorter));
            long saved = content.length() - shorter.length();
            dropped += saved;
            shortened++;
            estimate -= saved / CHARS_PER_TOKEN;
        }
        return new Fit(List.copyOf(messages), shortened, dropped, estimate);
    }

    /** The model's own count for the last request, plus about a token per four characters added since. */
    static long estimate(List<ChatMessage> conversation, long lastPromptTokens, long lastPromptChars) {
        long chars = chars(conversation);
        long byChars = chars / CHARS_PER_TOKEN + 4L * conversation.size();
        if (lastPromptTokens <= 0 || lastPromptChars <= 0 || lastPromptChars > chars) {
            return byChars;
        }
        return Math.max(byChars, lastPromptTokens + (chars - lastPromptChars) / CHARS_PER_TOKEN);
    }

    static long chars(List<ChatMessage> conversation) {
        long chars = 0;
        for (ChatMessage m : conversation) {
            chars += m.content() == null ? 0 : m.content().length();
            chars += m.toolCalls().stream().mapToLong(c -> c.name().length() + (c.arguments() == null ? 0 : c.arguments().length())).sum();
        }
        return chars;
    }

    /**
     * The index of the first message that is always sent whole: the start of the last {@code keepIterations}
     * iterations (each begins with an assistant message). Iteration 0 (system, user) has no tool results to shorten.
     */
    private int firstProtected(List<ChatMessage> conversation) {
        int seen = 0;
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role() == Role.ASSISTANT && ++seen == keepIterations) {
                return i;
            }
        }
        return 0;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
