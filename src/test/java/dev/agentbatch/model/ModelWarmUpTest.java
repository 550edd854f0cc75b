package dev.agentbatch.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

import dev.agentbatch.config.Json;

/** The warm-up's request and answer still go through openai-java's types and ours (an SDK upgrade can break them). */
class ModelWarmUpTest {

    @Test
    void writesARequestAndReadsAnAnswerWithTheClientsMapper() {
        assertDoesNotThrow(() -> ModelWarmUp.exercise(Json.openAiMapper(), "gpt-4o-mini"));
    }
}
