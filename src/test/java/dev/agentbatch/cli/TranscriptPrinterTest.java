package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class TranscriptPrinterTest {

    /** Deliberately out of order: the printer groups by iteration and sorts by seq. */
    static final String SAMPLE = """
            {"taskId": 12, "messages": [
              {"iteration": 1, "seq": 3, "role": "tool", "content": "Filesystem Use%%\\n/ 99%%",
               "toolCalls": null, "toolCallId": "call_1", "toolName": "disk_usage", "inDoubt": false},
              {"iteration": 0, "seq": 0, "role": "system", "content": "You are an operations agent.",
               "toolCalls": null, "toolCallId": null, "toolName": null, "inDoubt": false},
              {"iteration": 0, "seq": 1, "role": "user", "content": "I'm out of disk space. Fix it."},
              {"iteration": 1, "seq": 2, "role": "assistant", "content": null,
               "toolCalls": [{"id": "call_1", "name": "disk_usage", "arguments": "{\\"path\\":\\"/\\"}"}],
               "toolCallId": null, "toolName": null, "inDoubt": false},
              {"iteration": 2, "seq": 4, "role": "assistant", "content": "",
               "toolCalls": [{"id": "call_2", "name": "delete_file", "arguments": {"path": "var/log/app/a.log"}}]},
              {"iteration": 2, "seq": 5, "role": "tool", "content": "deleted var/log/app/a.log",
               "toolCallId": "call_2", "toolName": "delete_file", "inDoubt": true},
              {"iteration": 3, "seq": 6, "role": "assistant", "content": "Freed 9 MB.\\nKept current.log.",
               "toolCalls": null}
            ]}
            """.replace("%%", "%");

    private static String print(String json, int maxLines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TranscriptPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), maxLines).print(parse(json));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void groupsByIterationWithCallsResultsAndDoubt() {
        assertEquals("""
                iteration 0 (the prompt)
                  system: You are an operations agent.
                  user: I'm out of disk space. Fix it.
                iteration 1
                  -> disk_usage {"path":"/"}  [call_1]
                  <- disk_usage [call_1]:
                      Filesystem Use%
                      / 99%
                iteration 2
                  -> delete_file {"path":"var/log/app/a.log"}  [call_2]
                  <- delete_file [call_2] [IN DOUBT: may or may not have taken effect]: deleted var/log/app/a.log
                iteration 3
                  assistant:
                      Freed 9 MB.
                      Kept current.log.
                """, print(SAMPLE, 0));
    }

    @Test
    void aGatedCallsResultSaysWhoDecided() {
        String out = print("""
                {"taskId": 3, "messages": [
                  {"iteration": 1, "seq": 1, "role": "tool", "content": "{\\"denied\\":true}", "toolCallId": "call_1",
                   "toolName": "clean_logs", "decision": {"outcome": "DENIED", "decidedBy": "bob",
                   "decidedAt": "not a time", "reason": "keep them"}}
                ]}
                """, 0);
        assertTrue(out.contains("  <- clean_logs [call_1] [DENIED by bob at not a time: keep them]: {\"denied\":true}"), out);
    }

    @Test
    void elidesLongContentWhenAsked() {
        String out = print(SAMPLE, 1);
        assertTrue(out.contains("      Filesystem Use%\n      ... (1 more lines; see: bin/agent-batch transcript ID)\n"),
                out);
    }

    @Test
    void longJsonToolResultsAreIndented() {
        String json = "{\"deletedFiles\":2,\"files\":[\"var/log/app/a.log\",\"var/log/app/b.log\"],\"bytesFreed\":9437431}";
        assertEquals("{\n  \"deletedFiles\": 2,\n  \"files\": [\n    \"var/log/app/a.log\",\n"
                + "    \"var/log/app/b.log\"\n  ],\n  \"bytesFreed\": 9437431\n}", TranscriptPrinter.readable(json));
        String text = "[warning] " + "not json at all, just a long line that starts with a bracket ".repeat(2);
        assertEquals(text, TranscriptPrinter.readable(text));
        assertEquals("{\"short\":1}", TranscriptPrinter.readable("{\"short\":1}"));
    }

    @Test
    void emptyTranscriptSaysSo() {
        assertEquals("  (no messages yet)\n", print("{\"taskId\": 1, \"messages\": []}", 0));
    }

    @Test
    void groupSortsIterationsAndSeqs() {
        var groups = TranscriptPrinter.group(Json.items(parse(SAMPLE).path("messages")));
        assertEquals(List.of(0L, 1L, 2L, 3L), List.copyOf(groups.keySet()));
        assertEquals(List.of("assistant", "tool"),
                groups.get(1L).stream().map(m -> Json.text(m.path("role"))).toList());
    }

    static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
