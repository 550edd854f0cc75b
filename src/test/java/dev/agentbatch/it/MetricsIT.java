package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The server's standard metrics endpoint (management interface, /metrics, Prometheus format) carries the agent's
 * meters, and they move when a task runs: iterations, model calls by outcome, tool calls by tool and outcome,
 * tokens, the iteration-duration and model-latency histograms, and tasks by state.
 */
class MetricsIT extends IntegrationTestBase {

    @Test
    void countersMoveAfterATask() throws Exception {
        // given: the gauges of tasks by state as the dispatcher's last pass counted them
        int management = Integer.getInteger("it.management.port");
        awaitDispatchPasses(management, 2);
        String before = scrape();
        String scenario = scenario("metrics");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("ok"));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
        assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
        awaitDispatchPasses(management, 2); // the IT server counts every state on every pass (arquillian.xml: PT0S)
        String after = scrape();

        // then
        assertEquals(2.0, sum(after, "agent_batch_iterations_total", "") - sum(before, "agent_batch_iterations_total", ""));
        assertEquals(2.0, sum(after, "agent_batch_model_calls_total", "outcome=\"success\"")
                - sum(before, "agent_batch_model_calls_total", "outcome=\"success\""));
        assertEquals(1.0, sum(after, "agent_batch_tool_calls_total", "tool=\"check_disk\"")
                - sum(before, "agent_batch_tool_calls_total", "tool=\"check_disk\""));
        assertEquals(60.0, sum(after, "agent_batch_tokens_total", "") - sum(before, "agent_batch_tokens_total", ""));
        assertEquals(2.0, sum(after, "agent_batch_iteration_duration_seconds_count", "")
                - sum(before, "agent_batch_iteration_duration_seconds_count", ""), "iteration durations");
        assertEquals(2.0, sum(after, "agent_batch_iteration_duration_seconds", "le=\"+Inf\"")
                - sum(before, "agent_batch_iteration_duration_seconds", "le=\"+Inf\""), "iteration histogram");
        assertTrue(sum(after, "agent_batch_model_latency_seconds_sum", "") > sum(before, "agent_batch_model_latency_seconds_sum", ""),
                "model latency");
        assertTrue(sum(after, "agent_batch_model_latency_seconds", "le=\"+Inf\"") >= 2.0, "model latency histogram");
        assertEquals(1.0, sum(after, "agent_batch_tasks", "state=\"COMPLETED\"")
                - sum(before, "agent_batch_tasks", "state=\"COMPLETED\""), "tasks by state: this test's task");
        assertEquals(0.0, sum(after, "agent_batch_queue_depth", ""), "queue depth: nothing waits");
    }

    static String scrape() throws Exception {
        return scrape(Integer.getInteger("it.management.port"));
    }

    static String scrape(int managementPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + managementPort + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /**
     * Waits until the dispatcher has made {@code passes} more passes (woken or swept): whatever a pass would do has
     * been done by then. Counted by the server's own metric, never slept.
     */
    static void awaitDispatchPasses(int managementPort, int passes) throws Exception {
        double start = sum(scrape(managementPort), "agent_batch_dispatch_passes_total", "");
        java.time.Instant end = java.time.Instant.now().plusSeconds(60);
        while (sum(scrape(managementPort), "agent_batch_dispatch_passes_total", "") < start + passes) {
            assertTrue(java.time.Instant.now().isBefore(end), "the dispatcher made no pass in a minute");
            AgentBatchApi.pause(100);
        }
    }

    /** The sum of every sample of a metric whose labels contain {@code labelFilter}. */
    static double sum(String exposition, String metric, String labelFilter) {
        double total = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                String labels = line.contains("{") ? line.substring(line.indexOf('{'), line.lastIndexOf('}') + 1) : "";
                if (labels.contains(labelFilter)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return total;
    }
}
