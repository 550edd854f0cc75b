package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The dispatcher's first pass after a boot runs as the server resumes, not a sweep later. WildFly deploys the
 * application while the server is still suspended, and a pass then does nothing; the orphans of a crash and the queue
 * waited for the next sweep (5 s by default: most of what B6 measured beyond the boot). This server sweeps only every
 * ten minutes, so a crashed task that completes within two proves the boot's own pass resumed it.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+400")
class BootDispatchIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();

    @Test
    void aTaskOrphanedByACrashResumesAsTheServerComesUpNotASweepLater() {
        try (ServerProcess server = ServerProcess.copyOfProvisioned("boot-dispatch-server", 400, Map.of(
                "OPENAI_API_KEY", "it-test-key",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", Path.of(System.getProperty("project.basedir", "."))
                        .resolve("target/boot-dispatch-workspace").toString(),
                "AGENT_BATCH_DISPATCH_SWEEP_MS", "600000"))) {
            // given: a task whose second model call is held while the server is killed
            server.start();
            AgentBatchApi api = server.api();
            String scenario = "boot-dispatch-" + UUID.randomUUID().toString().substring(0, 8);
            CountDownLatch held = new CountDownLatch(1);
            MODEL.script(scenario, List.of(Reply.tools("check_disk", "{}")),
                    List.of(Reply.answer("held").heldBy(held), Reply.answer("Resumed after the crash.")));
            long id = api.submit(Map.of("input", "Check [scenario:" + scenario + "]"));
            MODEL.awaitCalls(scenario, 2, Duration.ofSeconds(60));

            // when: kill -9, then boot again (no sweep for ten minutes)
            server.kill9();
            held.countDown();
            server.start();

            // then: recovery ran in the boot's first pass
            JsonNode task = api.awaitTermination(id, Duration.ofSeconds(120));
            assertEquals("COMPLETED", task.path("state").asText(), task.toString());
            assertEquals("Resumed after the crash.", task.path("result").asText());
            assertEquals(2, task.path("iterations").asInt());
        }
    }
}
