package dev.agentbatch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The offline demo model plays the seed: check_disk, then clean_logs, then an answer that says it is the demo. */
class DemoPolicyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"check_disk\"}},"
            + "{\"type\":\"function\",\"function\":{\"name\":\"clean_logs\"}}]";

    @Test
    void playsTheSeedTask() throws Exception {
        ChatMessage first = DemoPolicy.decide(JSON.readTree("{" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"fix\"}]}"));
        assertEquals("check_disk", first.toolCalls().get(0).name());

        ChatMessage second = DemoPolicy.decide(JSON.readTree("{" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"fix\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"check_disk\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"97% used\"}]}"));
        assertEquals("clean_logs", second.toolCalls().get(0).name());

        ChatMessage third = DemoPolicy.decide(JSON.readTree("{" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"fix\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":\"check_disk\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"97% used\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c2\",\"function\":{\"name\":\"clean_logs\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"{\\\"olderThanDays\\\":7,\\\"deletedFiles\\\":3,\\\"bytesFreed\\\":3145728}\"}]}"));
        assertTrue(third.isFinalAnswer());
        assertTrue(third.content().startsWith("[offline demo model]"));
        assertTrue(third.content().contains("deleted 3 log file(s) older than 7 days, freeing 3.0 MB"), third.content());
    }

    @Test
    void aDeniedCleanupIsReportedNotClaimed() throws Exception {
        ChatMessage answer = DemoPolicy.decide(JSON.readTree("{" + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"fix\"},"
                + "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c2\",\"function\":{\"name\":\"clean_logs\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c2\",\"content\":\"{\\\"denied\\\":true,\\\"decidedBy\\\":\\\"bob\\\","
                + "\\\"reason\\\":\\\"keep them for the audit\\\"}\"}]}"));
        assertTrue(answer.isFinalAnswer());
        assertTrue(answer.content().contains("did not delete anything"), answer.content());
        assertTrue(answer.content().contains("denied by bob (reason: keep them for the audit)"), answer.content());
    }

    @Test
    void withoutToolsItSaysSoAndStops() throws Exception {
        ChatMessage answer = DemoPolicy.decide(JSON.readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"fix\"}]}"));
        assertTrue(answer.isFinalAnswer());
    }
}
