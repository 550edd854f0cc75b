package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A burst of 20 tasks on a node whose cap is 3: sampled while they drain, never more than 3 are RUNNING, the
 * cap is actually used (3 at once is seen), and all 20 complete.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+400")
class ConcurrencyCapIT {

    @Test
    void neverMoreThanTheCapRunAtOnce() {
        try (ServerProcess server = ServerProcess.copyOfProvisioned("cap-server", 400, QueueIT.serverProperties(3))) {
            server.start();
            AgentBatchApi api = server.api();

            // given / when: a burst of 20
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(api.submit(Map.of("input", "burst " + i + " [scenario:" + QueueIT.scripted("cap", 2, 250) + "]")));
            }

            // then: sample the RUNNING count until the queue is drained
            int max = 0;
            Instant end = Instant.now().plusSeconds(120);
            while (true) {
                JsonNode running = api.get("/tasks?state=RUNNING&limit=1000").body().path("tasks");
                max = Math.max(max, running.size());
                assertTrue(running.size() <= 3, "more than 3 RUNNING: " + running.size());
                int pendingOrRunning = api.get("/tasks?state=PENDING&limit=1000").body().path("tasks").size() + running.size();
                if (pendingOrRunning == 0) {
                    break;
                }
                assertTrue(Instant.now().isBefore(end), "the burst did not drain");
                AgentBatchApi.pause(50);
            }
            assertEquals(3, max, "the cap is used, not just respected");
            for (long id : ids) {
                assertEquals("COMPLETED", api.awaitTermination(id, Duration.ofSeconds(10)).path("state").asText());
            }
        }
    }
}
