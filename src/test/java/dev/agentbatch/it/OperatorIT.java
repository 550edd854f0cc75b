package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The operators' view on the real server: the views AGENT_TASK_RUN and AGENT_TOOL_CALL beside the job
 * repository, {@code bin/agent-batch sql} against the live database, and retention (job agent-purge) removing
 * old task data with its job repository rows while keeping recent ones and the views intact.
 */
class OperatorIT extends IntegrationTestBase {

    @Test
    void viewsShowEveryRunAndEveryToolCall() {
        // given: a completed task with two tool calls and a failed one
        String ok = scenario("view-ok");
        MODEL.scriptSimple(ok, Reply.tools("check_disk", "{}"), Reply.tools("check_disk", "{\"path\":\".\"}"), Reply.answer("ok"));
        String bad = scenario("view-bad");
        MODEL.scriptSimple(bad, Reply.tools("check_disk", "{}"));
        long completed = API.submit(Map.of("input", "ok [scenario:" + ok + "]"));
        long failed = API.submit(Map.of("input", "bad [scenario:" + bad + "]", "maxIterations", 1));
        API.awaitTermination(completed, Duration.ofSeconds(60));
        API.awaitTermination(failed, Duration.ofSeconds(60));

        // when
        List<Map<String, Object>> runs = JobRepository.query("select * from AGENT_TASK_RUN where TASK_ID in (?, ?) order by TASK_ID",
                completed, failed);
        List<Map<String, Object>> calls = JobRepository.query("select * from AGENT_TOOL_CALL where TASK_ID = ? order by ITERATION",
                completed);

        // then
        assertEquals(2, runs.size(), runs.toString());
        Map<String, Object> ran = runs.get(0);
        assertEquals("COMPLETED", ran.get("TASK_STATE"));
        assertEquals("COMPLETED", ran.get("BATCH_STATUS"));
        assertEquals(Boolean.TRUE, ran.get("LATEST"));
        assertEquals(3L, ((Number) ran.get("ITERATIONS_IN_RUN")).longValue());
        assertEquals(4L, ((Number) ran.get("COMMIT_COUNT")).longValue());
        assertEquals(90L, ((Number) ran.get("TOTAL_TOKENS")).longValue());
        Map<String, Object> fell = runs.get(1);
        assertEquals("FAILED", fell.get("BATCH_STATUS"));
        assertEquals("ITERATION_LIMIT", fell.get("EXIT_STATUS"));
        assertTrue(String.valueOf(fell.get("LAST_ERROR")).contains("iterations"), fell.toString());
        assertEquals(2, calls.size(), calls.toString());
        assertEquals("COMPLETED", calls.get(0).get("LEDGER_STATE"));
        assertEquals(Boolean.FALSE, calls.get(0).get("IN_DOUBT"));
        assertTrue(((Number) calls.get(0).get("DURATION_MS")).longValue() >= 0);
    }

    @Test
    void theSqlCommandQueriesTheLiveDatabase() throws Exception {
        String scenario = scenario("sql");
        MODEL.scriptSimple(scenario, Reply.answer("ok"));
        long id = API.submit(Map.of("input", "sql [scenario:" + scenario + "]"));
        API.awaitTermination(id, Duration.ofSeconds(60));

        Run select = cli("sql", "select TASK_ID, BATCH_STATUS, COMMIT_COUNT from AGENT_TASK_RUN where TASK_ID = " + id);
        Run write = cli("sql", "delete from AGENT_TASK");

        assertEquals(0, select.code(), select.toString());
        assertTrue(select.out().contains("COMPLETED") && select.out().contains("(1 row)"), select.out());
        assertEquals(3, write.code(), write.toString());
        assertTrue(write.err().contains("--write"), write.err());
        assertEquals(200, API.get("/tasks/" + id).status(), "nothing was deleted");
    }

    @Test
    void theSchemaIsFlywaysAndComesFromEveryMigration() {
        // a new database: every version from V1, then the views (a baseline marker at 0 comes first when JBeret's
        // boot-time tables were there before the deployment, which is a race of the server's own start)
        List<Map<String, Object>> history = JobRepository.query("select \"version\" V, \"type\" T, \"success\" S"
                + " from AGENT_SCHEMA_HISTORY where \"installed_rank\" > 0 and \"type\" <> 'BASELINE' order by \"installed_rank\"");
        assertEquals("1", history.get(0).get("V"), history.toString());
        assertEquals("SQL", history.get(0).get("T"), "V1 ran, it was not baselined: " + history);
        assertEquals("2", history.get(1).get("V"), history.toString());
        assertTrue(history.stream().anyMatch(h -> h.get("V") == null), "the repeatable operator views: " + history);
        assertTrue(history.stream().allMatch(h -> Boolean.TRUE.equals(h.get("S"))), history.toString());
    }

    @Test
    void theSqlCommandReadsAsAUserThatCanOnlyRead() throws Exception {
        // given: the tables as they are
        String scenario = scenario("sql-bypass");
        MODEL.scriptSimple(scenario, Reply.answer("ok"));
        API.awaitTermination(API.submit(Map.of("input", "sql [scenario:" + scenario + "]")), Duration.ofSeconds(60));
        long tasks = count("select count(*) N from AGENT_TASK where ID > ?", 0);
        Path written = Path.of(System.getProperty("project.basedir", "."), "target/sql-bypass.csv");
        java.nio.file.Files.deleteIfExists(written);

        // when: every way past a keyword check that H2 knows, without --write
        for (String bypass : List.of("SELECT * FROM OLD TABLE (DELETE FROM AGENT_TASK)",
                "EXPLAIN ANALYZE DELETE FROM AGENT_TASK",
                "CALL CSVWRITE('" + written + "', 'SELECT * FROM AGENT_TASK')",
                "SELECT FILE_WRITE('x', '" + written + "')")) {
            Run run = cli("sql", bypass);

            // then: refused by the database itself, with one clear line
            assertEquals(3, run.code(), bypass + " → " + run);
            assertTrue(run.err().contains("refused") || run.err().contains("SQL failed"), bypass + " → " + run.err());
            assertEquals(1, run.err().lines().count(), run.err());
        }
        assertEquals(tasks, count("select count(*) N from AGENT_TASK where ID > ?", 0), "no row was deleted");
        assertTrue(!java.nio.file.Files.exists(written), "no file was written");
    }

    @Test
    void purgeRemovesOldTasksWithTheirJobRowsAndKeepsRecentOnes() throws Exception {
        // given: two finished tasks, one of which ended 40 days ago
        String scenario = scenario("purge");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("ok"));
        long old = API.submit(Map.of("input", "old [scenario:" + scenario + "]"));
        long recent = API.submit(Map.of("input", "recent [scenario:" + scenario + "]"));
        long oldInstance = API.awaitTermination(old, Duration.ofSeconds(60)).path("jobInstanceId").asLong();
        API.awaitTermination(recent, Duration.ofSeconds(60));
        try (Connection c = JobRepository.ownerConnection(System.getProperty("it.server.dir"));
             PreparedStatement s = c.prepareStatement("update AGENT_TASK set ENDED_AT = ? where ID = ?")) {
            s.setObject(1, java.time.OffsetDateTime.now().minusDays(40));
            s.setLong(2, old);
            assertEquals(1, s.executeUpdate());
        }

        // when
        AgentBatchApi.Reply started = API.post("/ops/purge", Map.of("retentionDays", 30));
        long exec = started.body().path("executionId").asLong();
        JsonNode execution = API.get("/ops/executions/" + exec).body();
        Instant end = Instant.now().plusSeconds(60);
        while (!"COMPLETED".equals(execution.path("batchStatus").asText()) && Instant.now().isBefore(end)) {
            AgentBatchApi.pause(100);
            execution = API.get("/ops/executions/" + exec).body();
        }

        // then
        assertEquals(202, started.status());
        assertEquals("COMPLETED", execution.path("batchStatus").asText(), execution.toString());
        assertEquals(404, API.get("/tasks/" + old).status());
        assertEquals(200, API.get("/tasks/" + recent).status());
        assertEquals(0L, count("select count(*) N from AGENT_MESSAGE where TASK_ID = ?", old));
        assertEquals(0L, count("select count(*) N from AGENT_TOOL_LEDGER where TASK_ID = ?", old));
        assertEquals(0L, count("select count(*) N from JOB_INSTANCE where JOBINSTANCEID = ?", oldInstance));
        assertEquals(0L, count("select count(*) N from JOB_EXECUTION where JOBINSTANCEID = ?", oldInstance));
        assertEquals(1L, count("select count(*) N from AGENT_TASK_RUN where TASK_ID = ?", recent));
        assertTrue(count("select count(*) N from AGENT_TOOL_CALL where TASK_ID = ?", recent) == 1L);
    }

    @Test
    void thePurgeKeepsATaskThatARestartHasJustTakenBack() throws Exception {
        // given: a FAILED task that ended 40 days ago, restarted with jboss-cli; the restart's job listener is held,
        // so the task still says FAILED while its new execution is STARTED in the job repository
        String scenario = scenario("purge-race");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("ok"));
        long id = API.submit(Map.of("input", "race [scenario:" + scenario + "] [fault:slow-restart]", "maxIterations", 1));
        JsonNode failed = API.awaitTermination(id, Duration.ofSeconds(60));
        long instance = failed.path("jobInstanceId").asLong();
        endedDaysAgo(id, 40);
        RestartIT.jbossCli("/deployment=agent-batch.war/subsystem=batch-jberet:restart-job(execution-id="
                + failed.path("executionId").asLong() + ", properties={maxIterations=5})");
        awaitCount("select count(*) N from JOB_EXECUTION where JOBINSTANCEID = ? and BATCHSTATUS = 'STARTED'", instance, 1);
        assertEquals("FAILED", API.task(id).path("state").asText());

        // when
        awaitPurge(API.post("/ops/purge", Map.of("retentionDays", 30)).body().path("executionId").asLong());

        // then: the task and its job rows are all there, and it runs to the end once released
        assertEquals(200, API.get("/tasks/" + id).status());
        assertEquals(2L, count("select count(*) N from JOB_EXECUTION where JOBINSTANCEID = ?", instance));
        java.nio.file.Path release = java.nio.file.Path.of(System.getProperty("it.server.dir"),
                "standalone/data/agent-batch/faults/release-slow-restart-" + id);
        java.nio.file.Files.createFile(release);
        API.awaitExecutionChange(id, failed.path("executionId").asLong(), Duration.ofSeconds(60));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("iterations").asInt());
    }

    private static void endedDaysAgo(long id, int days) throws Exception {
        try (Connection c = JobRepository.ownerConnection(System.getProperty("it.server.dir"));
             PreparedStatement s = c.prepareStatement("update AGENT_TASK set ENDED_AT = ? where ID = ?")) {
            s.setObject(1, java.time.OffsetDateTime.now().minusDays(days));
            s.setLong(2, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static JsonNode awaitPurge(long exec) {
        JsonNode execution = API.get("/ops/executions/" + exec).body();
        Instant end = Instant.now().plusSeconds(60);
        while (!"COMPLETED".equals(execution.path("batchStatus").asText()) && Instant.now().isBefore(end)) {
            AgentBatchApi.pause(100);
            execution = API.get("/ops/executions/" + exec).body();
        }
        assertEquals("COMPLETED", execution.path("batchStatus").asText(), execution.toString());
        return execution;
    }

    private static void awaitCount(String sql, Object arg, long expected) {
        Instant end = Instant.now().plusSeconds(60);
        while (count(sql, arg) != expected) {
            assertTrue(Instant.now().isBefore(end), sql + " never counted " + expected);
            AgentBatchApi.pause(50);
        }
    }

    private static long count(String sql, Object arg) {
        return ((Number) JobRepository.query(sql, arg).get(0).get("N")).longValue();
    }

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(System.getProperty("project.basedir", ".") + "/bin/agent-batch");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("AGENT_BATCH_"));
        builder.environment().put("AGENT_BATCH_URL", "http://127.0.0.1:" + Integer.getInteger("it.http.port", 8280) + "/agent-batch");
        builder.environment().put("AGENT_BATCH_USER", TestUsers.OPERATOR);
        builder.environment().put("AGENT_BATCH_PASSWORD", TestUsers.password(TestUsers.OPERATOR));
        builder.environment().put("AGENT_BATCH_DB_URL", JobRepository.url(System.getProperty("it.server.dir")));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }
}
