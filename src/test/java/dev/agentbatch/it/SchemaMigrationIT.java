package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The schema has a history: an H2 database file that agent-batch 0.1.0 made (commit a4aefe3, while it ran the demo:
 * {@code src/test/resources/legacy/agent-batch-0.1.0.mv.db}, with Hibernate's hbm2ddl schema and no migration history)
 * is checked against V1, baselined at 1 and migrated by Flyway when this version boots on it; its task keeps its
 * transcript, and new tasks run on it.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+500")
class SchemaMigrationIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();

    @Test
    void aDatabaseMadeByVersion010IsBaselinedAndMigrated() throws Exception {
        // given: the 0.1.0 database in the data folder of a fresh server
        try (ServerProcess server = ServerProcess.copyOfProvisioned("schema-server", 500, Map.of(
                "OPENAI_API_KEY", "it-test-key",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", Path.of(System.getProperty("project.basedir", ".")).resolve("target/schema-workspace").toString()))) {
            Path data = server.home().resolve("standalone/data/agent-batch");
            Files.createDirectories(data);
            try (InputStream legacy = SchemaMigrationIT.class.getResourceAsStream("/legacy/agent-batch-0.1.0.mv.db")) {
                Files.copy(legacy, data.resolve("agent-batch.mv.db"));
            }

            // when
            server.start();
            AgentBatchApi api = server.api();

            // then: baselined at 1, then every later version and the views
            List<Map<String, Object>> history = JobRepository.queryAt(server.home().toString(), "select \"version\" V,"
                    + " \"type\" T, \"success\" S from AGENT_SCHEMA_HISTORY where \"installed_rank\" > 0 order by \"installed_rank\"");
            assertEquals("1", history.get(0).get("V"), history.toString());
            assertEquals("BASELINE", history.get(0).get("T"), history.toString());
            assertEquals("2", history.get(1).get("V"), history.toString());
            assertTrue(history.stream().allMatch(h -> Boolean.TRUE.equals(h.get("S"))), history.toString());
            assertTrue(history.stream().anyMatch(h -> h.get("V") == null), "the repeatable operator views: " + history);
            // …the 0.1.0 task is intact, transcript and job repository rows included
            JsonNode old = api.task(1);
            assertEquals("COMPLETED", old.path("state").asText(), old.toString());
            assertEquals(3, old.path("iterations").asInt());
            assertEquals(7, api.get("/tasks/1/transcript").body().path("messages").size());
            assertEquals(1, api.get("/tasks/1/executions").body().path("executions").size());
            assertEquals(1L, ((Number) JobRepository.queryAt(server.home().toString(),
                    "select count(*) N from AGENT_TASK_RUN where TASK_ID = 1").get(0).get("N")).longValue());
            // …and new tasks run on it
            String scenario = "migrated-" + UUID.randomUUID().toString().substring(0, 8);
            MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done on the migrated schema"));
            long id = api.submit(Map.of("input", "Go [scenario:" + scenario + "]"));
            JsonNode task = api.awaitTermination(id, Duration.ofSeconds(60));
            assertEquals("COMPLETED", task.path("state").asText(), task.toString());
            assertEquals(2, id, "the identity columns carry on from the old rows");
        }
    }
}
