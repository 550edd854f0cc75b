package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The seed's story, ending well: the server dies with {@code kill -9} in the middle of a task and boots again,
 * and the task resumes by itself from its last committed iteration. Each test has one shape: crash at a chosen
 * point, boot, then assert completion, no duplicated iteration, no repeated side effect (one distinct
 * idempotency key per effect) and no model answer paid twice. The server is the provisioned WildFly as a real
 * process (a private copy under target/), killed with SIGKILL; one server per database serves every test (each test
 * leaves it running), on H2 ({@link CrashRecoveryH2IT}) and on PostgreSQL ({@link CrashRecoveryPostgresIT}). Each
 * class holds its own server, so the two may run beside each other and beside the Arquillian tests
 * ({@code CONCURRENT}: the failsafe configuration in pom.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.CONCURRENT)
abstract class CrashRecoveryIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();
    private static final EffectTarget target = EffectTarget.shared();
    protected ServerProcess server;
    protected AgentBatchApi api;

    /** A server with the crash tests' settings on its database; not started. */
    static ServerProcess crashServer(String name, int portOffset) {
        String workspace = Path.of(System.getProperty("project.basedir", ".")).resolve("target/" + name + "-workspace").toString();
        return ServerProcess.copyOfProvisioned(name, portOffset, Map.of(
                "OPENAI_API_KEY", "it-test-key",
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", workspace,
                "AGENT_BATCH_HTTP_ALLOWED_HOSTS", EffectTarget.baseUrl().substring("http://".length()),
                "AGENT_BATCH_DISPATCH_SWEEP_MS", "1000",
                "agent-batch.test.faults", "true"));
    }

    /** The server's database, read as an operator reads it. */
    abstract List<Map<String, Object>> query(String sql, Object... args);

    @Test
    void killDuringToolSideEffectRunsItAgainWithTheSameKeyAndNeverPaysTheModelTwice() throws Exception {
        // given: the model asks for one effect; the target holds its first answer so the effect is in flight
        String scenario = "tool-crash-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/deploy/" + scenario;
        String url = EffectTarget.baseUrl() + path;
        MODEL.scriptSimple(scenario,
                Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + url + "\",\"body\":\"{}\"}"),
                Reply.answer("Deployed."));
        target.hold(path, 60_000);

        // when: kill -9 while the request is at the target, then boot again
        long id = api.submit(Map.of("input", "Deploy it [scenario:" + scenario + "]"));
        assertTrue(target.awaitRequest(path, 60), "the effect never reached the target");
        server.kill9();
        Duration boot = server.start();
        Instant up = Instant.now();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(2, task.path("iterations").asInt(), () -> "model requests (iteration: roles) " + requests(scenario));
        assertEquals(2, target.rawCount(path), "the in-doubt effect is sent again after the crash");
        assertEquals(1, target.distinctKeys(path), "…with the same idempotency key");
        assertEquals(List.of(1, 2), iterationsCalled(scenario), "the journaled answer of iteration 1 was not paid again");
        JsonNode toolMessage = api.get("/tasks/" + id + "/transcript").body().path("messages").get(3);
        assertEquals("tool", toolMessage.path("role").asText());
        assertTrue(toolMessage.path("inDoubt").asBoolean(), "the transcript shows the effect was in doubt: " + toolMessage);
        assertContiguous(api, id, 2);
        assertExecutions(id, 2);
        System.out.printf("crash-tool: boot %d ms; resumed task done %d ms after the deployment was up;"
                        + " effect requests raw=%d distinct=%d; model calls per iteration %s%n",
                boot.toMillis(), Duration.between(up, Instant.now()).toMillis(), target.rawCount(path),
                target.distinctKeys(path), callsPerIteration(scenario));
    }

    @Test
    void killDuringModelCallCallsItOnceMore() {
        // given: iteration 2's answer takes long the first time
        String scenario = "model-crash-" + UUID.randomUUID().toString().substring(0, 8);
        MODEL.script(scenario,
                List.of(Reply.tools("check_disk", "{}")),
                List.of(Reply.answer("slow").delayed(60_000), Reply.answer("Disk checked.")));

        // when
        long id = api.submit(Map.of("input", "Check [scenario:" + scenario + "]"));
        awaitModelCall(scenario, 2);
        server.kill9();
        server.start();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals("Disk checked.", task.path("result").asText());
        assertEquals(List.of(1, 2, 2), iterationsCalled(scenario), "only the unanswered call is made again, once");
        assertContiguous(api, id, 2);
    }

    @Test
    void killTwiceBetweenIterationsOfTheSameTask() {
        // given: six iterations; iterations 3 and 5 held until the test has killed the server before them
        String scenario = "twice-" + UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch third = new CountDownLatch(1);
        CountDownLatch fifth = new CountDownLatch(1);
        MODEL.script(scenario, List.of(Reply.tools("check_disk", "{}")), List.of(Reply.tools("check_disk", "{}")),
                List.of(Reply.tools("check_disk", "{}").heldBy(third), Reply.tools("check_disk", "{}")),
                List.of(Reply.tools("check_disk", "{}")),
                List.of(Reply.tools("check_disk", "{}").heldBy(fifth), Reply.tools("check_disk", "{}")),
                List.of(Reply.answer("Six iterations.")));

        // when: killed while iteration 3's call is held (two committed), and again while iteration 5's is (four)
        long id = api.submit(Map.of("input", "Loop [scenario:" + scenario + "]"));
        awaitModelCall(scenario, 3);
        server.kill9();
        third.countDown();
        server.start();
        awaitModelCall(scenario, 5);
        server.kill9();
        fifth.countDown();
        server.start();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(6, task.path("iterations").asInt());
        assertContiguous(api, id, 6);
        assertExecutions(id, 3);
    }

    @Test
    void everyTaskRunningAtTheKillResumesExactlyOnce() {
        // given: three tasks of four iterations, each with iteration 1 committed and iteration 2's model call held (the
        // first call only: the call made again after the boot is answered)
        CountDownLatch held = new CountDownLatch(1);
        List<Long> ids = new ArrayList<>();
        List<String> scenarios = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            String scenario = "several-" + t + "-" + UUID.randomUUID().toString().substring(0, 8);
            MODEL.script(scenario, List.of(Reply.tools("check_disk", "{}")),
                    List.of(Reply.tools("check_disk", "{}").heldBy(held), Reply.tools("check_disk", "{}")),
                    List.of(Reply.tools("check_disk", "{}")), List.of(Reply.answer("done " + t)));
            scenarios.add(scenario);
            ids.add(api.submit(Map.of("input", "Work [scenario:" + scenario + "]")));
        }
        for (String scenario : scenarios) {
            awaitModelCall(scenario, 2);
        }

        // when
        server.kill9();
        held.countDown();
        server.start();

        // then: each resumed once from its checkpoint, only the unanswered call asked again, every iteration committed once
        for (int t = 0; t < ids.size(); t++) {
            JsonNode task = api.awaitTermination(ids.get(t), Duration.ofSeconds(90));
            assertEquals("COMPLETED", task.path("state").asText(), task.toString());
            assertEquals("done " + t, task.path("result").asText());
            assertEquals(List.of(1, 2, 2, 3, 4), iterationsCalled(scenarios.get(t)), "only the unanswered call is made again, once");
            assertContiguous(api, ids.get(t), 4);
            assertExecutions(ids.get(t), 2);
        }
    }

    @Test
    void killAfterTheEffectAndBeforeTheCommitReusesTheLedgerAndNeverRepeatsTheEffect() {
        // given: one effect; the JVM halts right after the ledger recorded it COMPLETED, before the chunk commits
        String scenario = "ledger-crash-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/ledger/" + scenario;
        MODEL.scriptSimple(scenario,
                Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + EffectTarget.baseUrl() + path + "\",\"body\":\"{}\"}"),
                Reply.answer("Deployed."));

        // when
        long id = api.submit(Map.of("input", "Deploy it [scenario:" + scenario + "] [fault:halt-after-effect]"));
        server.awaitExit(Duration.ofSeconds(90));
        server.start();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then: the iteration was replayed: the journaled answer, the ledger's result; the target saw one request
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(1, target.rawCount(path), "the effect ran once");
        assertEquals(List.of(1, 2), iterationsCalled(scenario), "the journaled answer of iteration 1 was not paid again");
        JsonNode toolMessage = api.get("/tasks/" + id + "/transcript").body().path("messages").get(3);
        assertTrue(toolMessage.path("reused").asBoolean(), "the result came from the ledger: " + toolMessage);
        assertTrue(!toolMessage.path("inDoubt").asBoolean(), "a COMPLETED row is not in doubt: " + toolMessage);
        assertContiguous(api, id, 2);
        assertExecutions(id, 2);
    }

    @Test
    void killRightAfterAnApprovalRunsTheApprovedCallExactlyOnceAfterTheReboot() {
        // given: a gated POST; the JVM halts right after the approval commits, before the task runs again
        String scenario = "approval-crash-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/approved/" + scenario;
        MODEL.scriptSimple(scenario,
                Reply.tools("http_request", "{\"method\":\"POST\",\"url\":\"" + EffectTarget.baseUrl() + path + "\",\"body\":\"{}\"}"),
                Reply.answer("Deployed."));
        long id = api.submit(Map.of("input", "Deploy it [scenario:" + scenario + "] [fault:halt-after-decision]",
                "approvalRequired", List.of("http_request:!GET+HEAD")));
        api.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        assertEquals(0, target.rawCount(path), "nothing runs before the approval");
        String callId = api.task(id).path("awaiting").get(0).path("toolCallId").asText();

        // when: an approver approves; the server dies answering, and boots again
        try {
            server.api(TestUsers.APPROVER).post("/tasks/" + id + "/approvals/" + callId, Map.of("decision", "approve"));
        } catch (RuntimeException e) {
            // the JVM halted before it answered
        }
        server.awaitExit(Duration.ofSeconds(60));
        server.start();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then: the decision survived, and the approved call ran exactly once, as it was shown, with its key
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals(1, target.rawCount(path), "the approved call ran exactly once");
        assertEquals(List.of("agent-task-" + id + "-it-1-" + callId), target.requests(path).stream()
                .map(EffectTarget.Request::key).toList());
        assertEquals(List.of(1, 2), iterationsCalled(scenario), "the gated turn was replayed, not paid again");
        Map<String, Object> ledger = query("select APPROVAL, DECIDED_BY, ATTEMPTS, STATE from AGENT_TOOL_LEDGER"
                + " where TASK_ID = ?", id).get(0);
        assertEquals("APPROVED", ledger.get("APPROVAL"));
        assertEquals(TestUsers.APPROVER, ledger.get("DECIDED_BY"));
        assertEquals("COMPLETED", ledger.get("STATE"));
        assertEquals(1, ((Number) ledger.get("ATTEMPTS")).intValue());
        assertContiguous(api, id, 2);
    }

    @Test
    void aCrashInTheMiddleOfRecoveryIsFinishedByTheNextBoot() {
        // given: a task killed while iteration 2's model call is in flight
        String scenario = "recovery-crash-" + UUID.randomUUID().toString().substring(0, 8);
        CountDownLatch held = new CountDownLatch(1);
        MODEL.script(scenario, List.of(Reply.tools("check_disk", "{}")),
                List.of(Reply.tools("check_disk", "{}").heldBy(held), Reply.tools("check_disk", "{}")),
                List.of(Reply.answer("Three iterations.")));
        long id = api.submit(Map.of("input", "Check [scenario:" + scenario + "] [fault:halt-after-recovery-restart]"));
        api.awaitIterations(id, 1, Duration.ofSeconds(60));
        awaitModelCall(scenario, 2);
        long first = api.task(id).path("executionId").asLong();
        server.kill9();
        held.countDown();

        // when: the next boot's recovery restarts the orphan and dies before the task follows the new execution…
        server.startAndAwaitExit(Duration.ofSeconds(120));
        // …and the boot after that finishes the recovery
        server.start();
        JsonNode task = api.awaitTermination(id, Duration.ofSeconds(90));

        // then: three executions (the orphan, the one the crashed recovery made, the one that finished), and every
        // iteration committed once, none by the execution the crashed recovery made
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertContiguous(api, id, 3);
        assertExecutions(id, 3);
        List<Long> executions = query("select JOBEXECUTIONID from JOB_EXECUTION"
                        + " where JOBINSTANCEID = (select JOBINSTANCEID from JOB_EXECUTION where JOBEXECUTIONID = ?)"
                        + " order by JOBEXECUTIONID", first).stream().map(r -> ((Number) r.get("JOBEXECUTIONID")).longValue()).toList();
        long lost = executions.get(1);
        for (JsonNode m : api.get("/tasks/" + id + "/transcript").body().path("messages")) {
            assertTrue(m.path("executionId").isNull() || m.path("executionId").asLong() != lost,
                    "the execution of the crashed recovery never committed: " + m);
        }
    }

    private void awaitModelCall(String scenario, int iteration) {
        Instant end = Instant.now().plusSeconds(60);
        while (MODEL.calls(scenario).stream().noneMatch(c -> c.iteration() == iteration)) {
            assertTrue(Instant.now().isBefore(end), "the model was never asked for iteration " + iteration);
            AgentBatchApi.pause(50);
        }
    }

    /** Each model request of the scenario: its iteration and the roles of its messages (for failure messages). */
    private static List<String> requests(String scenario) {
        return MODEL.calls(scenario).stream().map(c -> c.iteration() + ": " + StreamSupport.stream(
                c.body().path("messages").spliterator(), false).map(m -> m.path("role").asText()).toList()).toList();
    }

    private static List<Integer> iterationsCalled(String scenario) {
        return MODEL.calls(scenario).stream().map(FakeOpenAiServer.Call::iteration).toList();
    }

    private static Map<Integer, Long> callsPerIteration(String scenario) {
        Map<Integer, Long> counts = new TreeMap<>();
        MODEL.calls(scenario).forEach(c -> counts.merge(c.iteration(), 1L, Long::sum));
        return counts;
    }

    /** Iterations 1..n each hold exactly one assistant message, in order: none lost, none repeated. */
    static void assertContiguous(AgentBatchApi api, long id, int iterations) {
        JsonNode messages = api.get("/tasks/" + id + "/transcript").body().path("messages");
        List<Integer> assistantIterations = StreamSupport.stream(messages.spliterator(), false)
                .filter(m -> m.path("role").asText().equals("assistant"))
                .map(m -> m.path("iteration").asInt()).toList();
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= iterations; i++) {
            expected.add(i);
        }
        assertEquals(expected, assistantIterations, "transcript of task " + id);
    }

    /** The task's job instance: {@code executions} executions, only the last one COMPLETED (never two alive). */
    private void assertExecutions(long id, int executions) {
        long exec = api.task(id).path("executionId").asLong();
        List<Map<String, Object>> rows = query(
                "select JOBEXECUTIONID, BATCHSTATUS from JOB_EXECUTION where JOBINSTANCEID ="
                        + " (select JOBINSTANCEID from JOB_EXECUTION where JOBEXECUTIONID = ?) order by JOBEXECUTIONID", exec);
        assertEquals(executions, rows.size(), rows.toString());
        for (int i = 0; i < rows.size() - 1; i++) {
            assertEquals("FAILED", rows.get(i).get("BATCHSTATUS"), "an orphan is marked FAILED when resumed: " + rows);
        }
        assertEquals("COMPLETED", rows.get(rows.size() - 1).get("BATCHSTATUS"), rows.toString());
    }
}
