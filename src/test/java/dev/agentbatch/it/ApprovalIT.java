package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The approval gate on the real server: a gated call stops the job at the iteration boundary (STOPPED,
 * AWAITING_APPROVAL) before anything of its turn runs; approving runs it exactly once, as it was shown; denying gives
 * the model the denial as the call's result; only an approver who did not submit the task decides, once; no restart
 * gets around the gate; a call nobody decides times out; and the run's deadline does not count the wait.
 */
class ApprovalIT extends IntegrationTestBase {

    private static final AgentBatchApi SUBMITTER = AgentBatchApi.as(TestUsers.SUBMITTER);
    private static final AgentBatchApi APPROVER = AgentBatchApi.as(TestUsers.APPROVER);
    private static final String REASON = "The old logs fill the disk; deleting those older than a week.";

    @Test
    void theSeedWaitsForItsCleanupHoldingNothingAndRunsItOnceApproved() throws Exception {
        // given: the seed task with clean_logs gated, and old logs in the workspace
        String scenario = scenario("approve");
        Path logs = logs(scenario);
        Path old = SeedScenarioIT.writeLog(logs.resolve("app-old.log"), 30);
        Path fresh = SeedScenarioIT.writeLog(logs.resolve("current.log"), 0);
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), cleanLogs(), Reply.answer("Cleaned."));
        double approvedBefore = MetricsIT.sum(MetricsIT.scrape(), "agent_batch_approvals_total", "outcome=\"approved\"");

        // when: it reaches the gate
        long id = SUBMITTER.submit(Map.of("input", "I'm out of disk space. Fix it. [scenario:" + scenario + "]",
                "approvalRequired", List.of("clean_logs")));
        JsonNode waiting = API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));

        // then: nothing of the gated turn ran, and no thread holds the task (its execution is STOPPED)
        assertTrue(Files.exists(old), "the gated cleanup must not run before it is approved");
        assertEquals("AWAITING_APPROVAL", waiting.path("exitStatus").asText());
        assertEquals(1, waiting.path("iterations").asInt(), "check_disk's iteration committed; the gated one did not");
        assertEquals(List.of("clean_logs"), strings(waiting.path("approvalRequired")));
        JsonNode awaiting = waiting.path("awaiting").get(0);
        assertEquals("clean_logs", awaiting.path("toolName").asText(), waiting.toString());
        assertEquals("{\"olderThanDays\":7}", awaiting.path("arguments").asText());
        Map<String, Object> execution = JobRepository.query("select BATCHSTATUS, EXITSTATUS from JOB_EXECUTION"
                + " where JOBEXECUTIONID = ?", waiting.path("executionId").asLong()).get(0);
        assertEquals("STOPPED", execution.get("BATCHSTATUS"));
        assertEquals("AWAITING_APPROVAL", execution.get("EXITSTATUS"));
        assertEquals(List.of(1, 2), iterationsCalled(scenario));
        // …and the approvals queue shows it, with the model's reason and the arguments as they will run
        JsonNode request = approvalOf(id);
        assertEquals(awaiting.path("toolCallId").asText(), request.path("toolCallId").asText());
        assertEquals(REASON, request.path("reason").asText());
        assertEquals(TestUsers.SUBMITTER, request.path("submittedBy").asText());
        assertTrue(request.path("input").asText().startsWith("I'm out of disk space."));
        Map<String, Object> ledger = ledgerRow(id, "clean_logs");
        assertEquals("AWAITING_APPROVAL", ledger.get("LEDGER_STATE"));
        assertEquals("PENDING", ledger.get("APPROVAL"));

        // when: an approver approves
        AgentBatchApi.Reply decided = APPROVER.post(decisionPath(id, request), Map.of("decision", "approve", "reason", "ok"));
        assertEquals(200, decided.status(), String.valueOf(decided.body()));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the call ran, once, as it was shown; the model was not paid again for the gated turn
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
        assertEquals(List.of(1, 2, 3), iterationsCalled(scenario), "the gated turn was replayed from the journal");
        ledger = ledgerRow(id, "clean_logs");
        assertEquals("COMPLETED", ledger.get("LEDGER_STATE"));
        assertEquals(1, ((Number) ledger.get("ATTEMPTS")).intValue());
        assertEquals("APPROVED", ledger.get("APPROVAL"));
        assertEquals(TestUsers.APPROVER, ledger.get("DECIDED_BY"), "the ledger names the approver");
        JsonNode decision = toolMessage(id, 2).path("decision");
        assertEquals("APPROVED", decision.path("outcome").asText(), decision.toString());
        assertEquals(TestUsers.APPROVER, decision.path("decidedBy").asText(), "the transcript names the approver");
        assertEquals("ok", decision.path("reason").asText());
        // the operator's view of the executions: the first one asked, and who decided
        List<Map<String, Object>> runs = JobRepository.query("select EXIT_STATUS, APPROVALS_REQUESTED, APPROVALS_PENDING,"
                + " DECIDED_BY from AGENT_TASK_RUN where TASK_ID = ? order by JOB_EXECUTION_ID", id);
        assertEquals(2, runs.size());
        assertEquals("AWAITING_APPROVAL", runs.get(0).get("EXIT_STATUS"));
        assertEquals(1, ((Number) runs.get(0).get("APPROVALS_REQUESTED")).intValue());
        assertEquals(0, ((Number) runs.get(0).get("APPROVALS_PENDING")).intValue());
        assertEquals(TestUsers.APPROVER, runs.get(0).get("DECIDED_BY"));
        assertEquals("COMPLETED", runs.get(1).get("EXIT_STATUS"));
        JsonNode audit = API.get("/tasks/" + id + "/audit").body().path("audit");
        assertTrue(audit.toString().contains("\"action\":\"APPROVE\",\"actor\":\"" + TestUsers.APPROVER + "\""), audit.toString());
        assertTrue(MetricsIT.sum(MetricsIT.scrape(), "agent_batch_approvals_total", "outcome=\"approved\"") >= approvedBefore + 1);
    }

    @Test
    void aDenialIsTheCallsResultTheModelReadsAndNotAFailure() throws Exception {
        // given
        String scenario = scenario("deny");
        Path old = SeedScenarioIT.writeLog(logs(scenario).resolve("app-old.log"), 30);
        MODEL.scriptSimple(scenario, cleanLogs(), Reply.answerQuotingLastToolResult("Nothing deleted: "
                + Reply.LAST_TOOL_RESULT));
        long id = SUBMITTER.submit(Map.of("input", "Free some space [scenario:" + scenario + "]",
                "approvalRequired", List.of("clean_logs")));
        API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));

        // when
        AgentBatchApi.Reply denied = APPROVER.post(decisionPath(id, approvalOf(id)),
                Map.of("decision", "deny", "reason", "keep them for the audit"));
        assertEquals(200, denied.status(), String.valueOf(denied.body()));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertTrue(Files.exists(old), "a denied call never runs");
        assertTrue(task.path("result").asText().contains("keep them for the audit"), "the model read the denial: " + task);
        assertEquals(0, task.path("toolFailures").asInt(), "a denial is not a tool failure");
        Map<String, Object> ledger = ledgerRow(id, "clean_logs");
        assertEquals("DENIED", ledger.get("LEDGER_STATE"));
        assertEquals("keep them for the audit", ledger.get("DECISION_REASON"));
        JsonNode message = toolMessage(id, 1);
        assertTrue(message.path("content").asText().contains("\"denied\":true"), message.toString());
        assertEquals("DENIED", message.path("decision").path("outcome").asText());
    }

    @Test
    void onlyAnApproverWhoDidNotSubmitTheTaskDecidesAndOnlyOnce() throws Exception {
        // given: a task the admin (who has every role) submitted
        String scenario = scenario("four-eyes");
        logs(scenario);
        MODEL.scriptSimple(scenario, cleanLogs(), Reply.answer("Done."));
        long id = API.submit(Map.of("input", "Clean [scenario:" + scenario + "]", "approvalRequired", List.of("clean_logs")));
        API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        String path = decisionPath(id, approvalOf(id));

        // when / then: the submitter, a viewer and a submitter without the role are refused
        AgentBatchApi.Reply own = API.post(path, Map.of("decision", "approve"));
        assertEquals(403, own.status(), String.valueOf(own.body()));
        assertTrue(own.body().path("detail").asText().contains("four eyes"), own.body().toString());
        assertEquals(403, AgentBatchApi.as(TestUsers.VIEWER).post(path, Map.of("decision", "approve")).status());
        assertEquals(403, SUBMITTER.post(path, Map.of("decision", "approve")).status());
        // bad input is a 400 that says what to fix
        AgentBatchApi.Reply bad = APPROVER.post(path, Map.of("decision", "maybe"));
        assertEquals(400, bad.status());
        assertTrue(bad.body().path("detail").asText().contains("\"approve\" or \"deny\""), bad.body().toString());
        assertEquals(400, APPROVER.post(path, Map.of("decision", "deny")).status(), "a denial needs a reason");
        assertEquals(404, APPROVER.post("/tasks/" + id + "/approvals/call_nope", Map.of("decision", "approve")).status());
        // a waiting task cannot be restarted
        AgentBatchApi.Reply restart = API.post("/tasks/" + id + "/restart", Map.of());
        assertEquals(409, restart.status(), String.valueOf(restart.body()));
        assertEquals("AWAITING_APPROVAL", API.task(id).path("state").asText());

        // an approver decides; a second decision is a conflict that says who decided
        assertEquals(200, APPROVER.post(path, Map.of("decision", "approve")).status());
        AgentBatchApi.Reply again = APPROVER.post(path, Map.of("decision", "deny", "reason", "changed my mind"));
        assertEquals(409, again.status(), String.valueOf(again.body()));
        assertTrue(again.body().path("detail").asText().contains("APPROVED by " + TestUsers.APPROVER), again.body().toString());
        assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
    }

    @Test
    void aRestartFromJbossCliStopsAgainAtTheGateAndAStopDeniesTheCall() throws Exception {
        // given
        String scenario = scenario("cli-restart");
        Path old = SeedScenarioIT.writeLog(logs(scenario).resolve("app-old.log"), 30);
        MODEL.scriptSimple(scenario, cleanLogs(), Reply.answer("Done."));
        long id = SUBMITTER.submit(Map.of("input", "Clean [scenario:" + scenario + "]", "approvalRequired", List.of("clean_logs")));
        long firstExecution = API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60)).path("executionId").asLong();

        // when: an admin restarts the STOPPED execution by hand, around the API
        String out = JbossCli.run("/deployment=agent-batch.war/subsystem=batch-jberet:restart-job(execution-id="
                + firstExecution + ")");
        assertTrue(out.contains("success"), out);
        JsonNode again = API.await(id, t -> "AWAITING_APPROVAL".equals(t.path("state").asText())
                && t.path("executionId").asLong() != firstExecution, "back at the gate under a new execution",
                Duration.ofSeconds(60));

        // then: the new execution stopped at the same gate; nothing ran, nothing was asked twice or paid twice
        assertNotEquals(firstExecution, again.path("executionId").asLong());
        assertTrue(Files.exists(old));
        assertEquals(List.of(1), iterationsCalled(scenario));
        assertEquals(1, ((Number) JobRepository.query("select count(*) N from AGENT_TOOL_LEDGER where TASK_ID = ?", id)
                .get(0).get("N")).intValue(), "the second execution asked nothing twice");
        assertEquals(1, again.path("awaiting").size());

        // when: the submitter stops it
        assertEquals(200, SUBMITTER.post("/tasks/" + id + "/stop", Map.of()).status());

        // then: the wait ends, the call is denied with the reason "stopped"
        JsonNode stopped = API.task(id);
        assertEquals("STOPPED", stopped.path("state").asText(), stopped.toString());
        assertEquals("STOPPED", stopped.path("exitStatus").asText());
        Map<String, Object> ledger = ledgerRow(id, "clean_logs");
        assertEquals("DENIED", ledger.get("APPROVAL"));
        assertEquals("stopped", ledger.get("DECISION_REASON"));
        assertEquals(TestUsers.SUBMITTER, ledger.get("DECIDED_BY"));
        assertFalse(approvalsText().contains("\"taskId\":" + id + ","), "nothing of the task waits any more");
        assertTrue(Files.exists(old));
    }

    @Test
    void aCallNobodyDecidesIsDeniedWhenItTimesOut() throws Exception {
        // given: a one-second approval timeout
        String scenario = scenario("timeout");
        Path old = SeedScenarioIT.writeLog(logs(scenario).resolve("app-old.log"), 30);
        MODEL.scriptSimple(scenario, cleanLogs(), Reply.answerQuotingLastToolResult("Gave up: " + Reply.LAST_TOOL_RESULT));
        double before = MetricsIT.sum(MetricsIT.scrape(), "agent_batch_approvals_total", "outcome=\"timed_out\"");

        // when
        long id = SUBMITTER.submit(Map.of("input", "Clean [scenario:" + scenario + "]", "approvalRequired", List.of("clean_logs"),
                "approvalTimeout", "PT1S"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: denied by the system, reason "timed out"; the model read it
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertTrue(Files.exists(old));
        Map<String, Object> ledger = ledgerRow(id, "clean_logs");
        assertEquals("TIMED_OUT", ledger.get("APPROVAL"));
        assertEquals("timed out", ledger.get("DECISION_REASON"));
        assertEquals("agent-batch-system", ledger.get("DECIDED_BY"));
        assertTrue(task.path("result").asText().contains("timed out"), task.toString());
        assertTrue(MetricsIT.sum(MetricsIT.scrape(), "agent_batch_approvals_total", "outcome=\"timed_out\"") >= before + 1);
    }

    @Test
    void severalGatedCallsOfOneTurnAreDecidedOneByOneAndTheOthersRunWithThem() throws Exception {
        // given: one turn with two gated calls and an ungated one
        String scenario = scenario("several");
        Path logs = logs(scenario);
        Path old = SeedScenarioIT.writeLog(logs.resolve("app-old.log"), 30);
        MODEL.scriptSimple(scenario,
                Reply.tools("clean_logs", "{\"olderThanDays\":7}", "clean_logs", "{\"olderThanDays\":1}", "check_disk", "{}"),
                Reply.answer("Done."));
        long id = SUBMITTER.submit(Map.of("input", "Clean [scenario:" + scenario + "]", "approvalRequired", List.of("clean_logs")));
        JsonNode waiting = API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        assertEquals(2, waiting.path("awaiting").size(), waiting.toString());
        assertEquals("WAITING", ledgerRow(id, "check_disk").get("LEDGER_STATE"), "the ungated call waits with them");

        // when: the first is approved, the task still waits; the second is denied, the task resumes
        JsonNode decided = APPROVER.post("/tasks/" + id + "/approvals/call_1", Map.of("decision", "approve")).body();
        assertFalse(decided.path("resumed").asBoolean(), decided.toString());
        assertEquals("AWAITING_APPROVAL", API.task(id).path("state").asText());
        assertTrue(Files.exists(old));
        decided = APPROVER.post("/tasks/" + id + "/approvals/call_2", Map.of("decision", "deny", "reason", "too young")).body();
        assertTrue(decided.path("resumed").asBoolean(), decided.toString());
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: the approved call and the ungated one ran, the denied one did not
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertFalse(Files.exists(old));
        JsonNode messages = API.get("/tasks/" + id + "/transcript").body().path("messages");
        List<String> results = java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .filter(m -> m.path("iteration").asInt() == 1 && "tool".equals(m.path("role").asText()))
                .map(m -> m.path("toolCallId").asText() + ":" + m.path("decision").path("outcome").asText("-")).toList();
        assertEquals(List.of("call_1:APPROVED", "call_2:DENIED", "call_3:-"), results);
        assertTrue(messages.get(5).path("content").asText().contains("usedBytes"), "check_disk ran: " + messages.get(5));
        assertEquals("COMPLETED", ledgerRow(id, "check_disk").get("LEDGER_STATE"));
    }

    @Test
    void theRunDeadlineDoesNotCountTheWaitForAPerson() throws Exception {
        // given: a 3-second deadline, and a person who takes longer than that to decide
        String scenario = scenario("deadline");
        logs(scenario);
        MODEL.scriptSimple(scenario, cleanLogs(), Reply.answer("Done in time."));
        long id = SUBMITTER.submit(Map.of("input", "Clean [scenario:" + scenario + "]", "approvalRequired", List.of("clean_logs"),
                "deadline", "PT3S"));
        JsonNode waiting = API.awaitState(id, "AWAITING_APPROVAL", Duration.ofSeconds(60));
        Instant pastTheDeadline = Instant.parse(waiting.path("startedAt").asText()).plusSeconds(4);
        while (Instant.now().isBefore(pastTheDeadline)) {
            AgentBatchApi.pause(100); // the subject of the test: the clock running past the deadline while a person decides
        }

        // when
        assertEquals(200, APPROVER.post(decisionPath(id, approvalOf(id)), Map.of("decision", "approve")).status());
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertEquals("COMPLETED", task.path("state").asText(), "the wait is not the agent's time: " + task);
        assertEquals("Done in time.", task.path("result").asText());
    }

    private static Reply cleanLogs() {
        return Reply.completion(REASON, List.<String[]>of(new String[] {"clean_logs", "{\"olderThanDays\":7}"}), 20, 10);
    }

    private static Path logs(String scenario) throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.workspace"), scenario, "var", "log"));
    }

    private static JsonNode approvalOf(long id) {
        for (JsonNode a : API.get("/approvals").body().path("approvals")) {
            if (a.path("taskId").asLong() == id) {
                return a;
            }
        }
        throw new AssertionError("task " + id + " has no approval waiting: " + approvalsText());
    }

    private static String approvalsText() {
        return API.get("/approvals").body().toString();
    }

    private static String decisionPath(long id, JsonNode approval) {
        return "/tasks/" + id + "/approvals/" + approval.path("toolCallId").asText();
    }

    private static Map<String, Object> ledgerRow(long id, String tool) {
        List<Map<String, Object>> rows = JobRepository.query("select LEDGER_STATE, APPROVAL, ATTEMPTS, DECIDED_BY,"
                + " DECISION_REASON from AGENT_TOOL_CALL where TASK_ID = ? and TOOL_NAME = ?", id, tool);
        assertEquals(1, rows.size(), "one ledger row of " + tool + ": " + rows);
        return rows.get(0);
    }

    private static JsonNode toolMessage(long id, int iteration) {
        for (JsonNode m : API.get("/tasks/" + id + "/transcript").body().path("messages")) {
            if (m.path("iteration").asInt() == iteration && "tool".equals(m.path("role").asText())) {
                return m;
            }
        }
        throw new AssertionError("no tool message in iteration " + iteration);
    }

    private static List<Integer> iterationsCalled(String scenario) {
        return MODEL.calls(scenario).stream().map(FakeOpenAiServer.Call::iteration).toList();
    }

    private static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
