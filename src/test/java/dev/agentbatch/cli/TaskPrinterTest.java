package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

class TaskPrinterTest {

    @Test
    void completedLineCarriesTheFirst200CharactersOfTheResult() {
        JsonNode task = parse("{\"id\": 12, \"state\": \"COMPLETED\", \"iterations\": 3, \"result\": \""
                + "x".repeat(250) + "\"}");
        assertEquals("task 12 COMPLETED in 3 iterations: " + "x".repeat(200) + "...", TaskPrinter.finalLine(task));
    }

    @Test
    void aTaskAtTheGateWithoutItsCallsIsReadAgainAndReprintedWhenTheyShow() {
        JsonNode unnamed = parse("{\"id\": 15, \"state\": \"AWAITING_APPROVAL\", \"iterations\": 0, \"awaiting\": []}");
        JsonNode named = parse("{\"id\": 15, \"state\": \"AWAITING_APPROVAL\", \"iterations\": 0, \"awaiting\":"
                + " [{\"toolName\": \"clean_logs\", \"toolCallId\": \"call_1\"}]}");
        assertTrue(TaskPrinter.waitsForUnnamedCalls(unnamed));
        assertTrue(TaskPrinter.waitsForUnnamedCalls(parse("{\"id\": 15, \"state\": \"AWAITING_APPROVAL\"}")));
        assertTrue(!TaskPrinter.waitsForUnnamedCalls(named));
        assertTrue(!TaskPrinter.waitsForUnnamedCalls(parse("{\"id\": 15, \"state\": \"RUNNING\"}")));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressPrinter progress = new ProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.show(unnamed);
        progress.show(unnamed);
        progress.show(named);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains("waiting for approval of clean_logs (call_1)"), lines.toString());
    }

    @Test
    void completedLineIsOneLine() {
        JsonNode task = parse("{\"id\": 1, \"state\": \"COMPLETED\", \"iterations\": 1, \"result\": \"a\\n\\n b\"}");
        assertEquals("task 1 COMPLETED in 1 iteration: a b", TaskPrinter.finalLine(task));
    }

    @Test
    void failedLineCarriesExitStatusAndError() {
        JsonNode task = parse("{\"id\": 7, \"state\": \"FAILED\", \"exitStatus\": \"BUDGET_EXCEEDED\","
                + " \"error\": \"used 5000 of 4000 tokens\"}");
        assertEquals("task 7 FAILED (BUDGET_EXCEEDED): used 5000 of 4000 tokens", TaskPrinter.finalLine(task));
    }

    @Test
    void progressLineShowsIterationOfMaxAndTokens() {
        JsonNode task = parse("{\"id\": 7, \"state\": \"RUNNING\", \"iterations\": 2, \"maxIterations\": 10,"
                + " \"usage\": {\"totalTokens\": 1234}}");
        assertEquals("task 7 RUNNING  iteration 2 of 10  tokens 1234  elapsed 1.0s",
                TaskPrinter.progressLine(task, "1.0s"));
    }

    @Test
    void tableTruncatesInput() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<JsonNode> tasks = Json.items(parse("{\"tasks\": [{\"id\": 2, \"state\": \"RUNNING\", \"priority\": 4,"
                + " \"iterations\": 1,"
                + " \"updatedAt\": \"2025-11-28T09:00:00Z\", \"input\": \"" + "y".repeat(80) + "\"},"
                + " {\"id\": 1, \"state\": \"COMPLETED\", \"priority\": 9, \"iterations\": 12, \"input\": \"short\"}]}")
                .path("tasks"));
        TaskPrinter.table(tasks, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).startsWith("ID  STATE      PRI  ITER  UPDATED"), lines.get(0));
        assertTrue(lines.get(1).endsWith("y".repeat(60) + "..."), lines.get(1));
        assertTrue(lines.get(2).startsWith("1   COMPLETED    9    12  -"), lines.get(2));
    }

    static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
