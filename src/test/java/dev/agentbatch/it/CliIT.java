package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The exit codes of {@code bin/agent-batch} are a contract with cron jobs and CI scripts, so each is produced here
 * by a real case: the real script runs as a process (as a scheduler runs it) against the server under test, and
 * the test reads only what a script would, its exit code, stdout and stderr. 0 COMPLETED, 1 FAILED, 2 STOPPED,
 * 3 bad usage or input the server rejects, 4 server unreachable, 5 {@code --wait} timed out; and {@code --json}
 * keeps stdout one parseable document.
 */
class CliIT extends IntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(120);
    private static final Path SCRIPT = Path.of(System.getProperty("project.basedir", "."), "bin", "agent-batch");
    private static final Pattern TASK_LINE = Pattern.compile("^task (\\d+) ");
    private static final String URL = "http://127.0.0.1:" + Integer.getInteger("it.http.port", 8280) + "/agent-batch";

    /** What a scheduler sees of one run. */
    record Result(int exit, String stdout, String stderr) {

        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Exit 0: a task the model answers at once, followed with --wait, ends COMPLETED with its answer. */
    @Test
    void submitWaitExitsZeroWhenTheTaskCompletes() {
        // given
        String scenario = scenario("cli-ok");
        MODEL.scriptSimple(scenario, Reply.answer("All good."));

        // when
        Result run = run("submit", "Check things [scenario:" + scenario + "]", "--wait");

        // then
        assertEquals(0, run.exit(), run.toString());
        String last = lastLine(run.stdout());
        assertTrue(last.matches("task \\d+ COMPLETED in 1 iteration: All good\\."), run.toString());
        assertEquals("", run.stderr(), run.toString());
        assertEquals("COMPLETED", API.task(idIn(last)).path("state").asText());
    }

    /** Exit 1: a model that keeps calling check_disk meets --max-iterations 1; the final line names ITERATION_LIMIT. */
    @Test
    void submitWaitExitsOneWhenTheTaskFails() {
        // given
        String scenario = scenario("cli-fail");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"));

        // when
        Result run = run("submit", "Loop [scenario:" + scenario + "]", "--max-iterations", "1", "--wait");

        // then
        assertEquals(1, run.exit(), run.toString());
        String last = lastLine(run.stdout());
        assertTrue(last.matches("task \\d+ FAILED \\(ITERATION_LIMIT\\).*"), run.toString());
        JsonNode task = API.task(idIn(last));
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("ITERATION_LIMIT", task.path("exitStatus").asText(), task.toString());
    }

    /**
     * Exit 2: a running task (slow model) stopped with {@code stop ID --wait} is followed until it is STOPPED.
     * Also: submit without --wait prints only the id and exits 0 while the task goes on.
     */
    @Test
    void stopWaitExitsTwoWhenTheTaskIsStopped() {
        // given: a task whose model takes 1.5 s per turn, running with at least one committed iteration
        String scenario = scenario("cli-stop");
        MODEL.scriptSimple(scenario, Collections.nCopies(10, Reply.tools("check_disk", "{}").delayed(1500))
                .toArray(Reply[]::new));
        Result submitted = run("submit", "Slow [scenario:" + scenario + "]");
        assertEquals(0, submitted.exit(), submitted.toString());
        long id = Long.parseLong(submitted.stdout().strip());
        API.awaitIterations(id, 1, Duration.ofSeconds(60));

        // when
        Result run = run("stop", String.valueOf(id), "--wait");

        // then
        assertEquals(2, run.exit(), run.toString());
        assertTrue(lastLine(run.stdout()).startsWith("task " + id + " STOPPED"), run.toString());
        assertEquals("STOPPED", API.task(id).path("state").asText());
    }

    /** Exit 3: an option out of range is refused before anything is sent, with one line on stderr. */
    @Test
    void priorityOutOfRangeExitsThreeWithOneLine() {
        // when
        Result run = run("submit", "x", "--priority", "12");

        // then
        assertEquals(3, run.exit(), run.toString());
        assertEquals("", run.stdout(), "nothing submitted, no id printed: " + run);
        assertEquals(1, run.stderrLines().size(), run.toString());
        assertTrue(run.stderr().startsWith("agent-batch: ") && run.stderr().contains("--priority"), run.toString());
    }

    /** Exit 3: an unknown command is bad usage, one line on stderr. */
    @Test
    void unknownCommandExitsThree() {
        // when
        Result run = run("frobnicate");

        // then
        assertEquals(3, run.exit(), run.toString());
        assertEquals(1, run.stderrLines().size(), run.toString());
        assertTrue(run.stderr().contains("unknown command 'frobnicate'"), run.toString());
    }

    /** Exit 3: a 4xx from the server (here 404, no such task) is input to fix; its detail is the one stderr line. */
    @Test
    void unknownTaskExitsThreeWithTheServersDetail() {
        // when
        Result run = run("status", "987654321");

        // then
        assertEquals(3, run.exit(), run.toString());
        assertEquals(1, run.stderrLines().size(), run.toString());
        assertTrue(run.stderr().startsWith("agent-batch: ") && run.stderr().contains("987654321"), run.toString());
    }

    /** Exit 4: nothing listens at AGENT_BATCH_URL; one line on stderr names the URL. */
    @Test
    void unreachableServerExitsFour() {
        // given
        String nowhere = "http://127.0.0.1:1/agent-batch";

        // when
        Result run = run(Map.of("AGENT_BATCH_URL", nowhere), "status", "1");

        // then
        assertEquals(4, run.exit(), run.toString());
        assertEquals(1, run.stderrLines().size(), run.toString());
        assertTrue(run.stderr().contains("not reachable at " + nowhere), run.toString());
    }

    /** Exit 5: --timeout passes before the (slow) task ends; the task goes on, and the line says how to follow it. */
    @Test
    void waitTimeoutExitsFiveAndTheTaskGoesOn() {
        // given
        String scenario = scenario("cli-timeout");
        MODEL.scriptSimple(scenario, Collections.nCopies(10, Reply.tools("check_disk", "{}").delayed(1500))
                .toArray(Reply[]::new));

        // when
        Result run = run("submit", "Slow [scenario:" + scenario + "]", "--timeout", "PT2S");

        // then
        assertEquals(5, run.exit(), run.toString());
        assertEquals(1, run.stderrLines().size(), run.toString());
        assertTrue(run.stderr().contains("--timeout") && run.stderr().contains("bin/agent-batch status "), run.toString());
        long id = idIn(run.stdoutLines().get(0));
        JsonNode going = API.task(id);
        assertFalse(isTerminal(going), "the task goes on: " + going);
        // clean up: no slow task left running for the next test
        assertEquals(200, API.post("/tasks/" + id + "/stop", Map.of()).status());
        API.awaitTermination(id, Duration.ofSeconds(60));
    }

    /**
     * --json: {@code submit --wait --json} prints one JSON document on stdout (progress goes to stderr) with the
     * task's id and final state; {@code status --json} and {@code list --json} parse too; {@code transcript}
     * prints the iterations with the tool call and the answer.
     */
    @Test
    void jsonOutputParsesAndTranscriptShowsTheIterations() throws IOException {
        // given
        String scenario = scenario("cli-json");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("Disk is fine."));

        // when
        Result submit = run("submit", "Check the disk [scenario:" + scenario + "]", "--wait", "--json");
        JsonNode submitted = JSON.readTree(submit.stdout());
        long id = submitted.path("id").asLong();
        Result status = run("status", String.valueOf(id), "--json");
        Result list = run("list", "--state", "COMPLETED", "--json");
        Result transcript = run("transcript", String.valueOf(id));

        // then: submit
        assertEquals(0, submit.exit(), submit.toString());
        assertTrue(id > 0, submit.toString());
        assertEquals("COMPLETED", submitted.path("state").asText(), submit.toString());
        assertTrue(submit.stderr().contains("task " + id + " "), "progress on stderr: " + submit);
        // status
        assertEquals(0, status.exit(), status.toString());
        JsonNode task = JSON.readTree(status.stdout());
        assertEquals(id, task.path("id").asLong());
        assertEquals("COMPLETED", task.path("state").asText());
        assertEquals(2, task.path("iterations").asInt());
        assertEquals("Disk is fine.", task.path("result").asText());
        // list
        assertEquals(0, list.exit(), list.toString());
        List<Long> ids = StreamSupport.stream(JSON.readTree(list.stdout()).path("tasks").spliterator(), false)
                .map(t -> t.path("id").asLong()).toList();
        assertTrue(ids.contains(id), ids + " should hold " + id);
        // transcript
        assertEquals(0, transcript.exit(), transcript.toString());
        List<String> lines = transcript.stdoutLines();
        assertEquals("transcript of task " + id + " (COMPLETED)", lines.get(0), transcript.toString());
        assertTrue(lines.contains("iteration 0 (the prompt)") && lines.contains("iteration 1")
                && lines.contains("iteration 2"), transcript.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  -> check_disk {}")), transcript.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  <- check_disk")), transcript.toString());
        assertTrue(lines.contains("  assistant: Disk is fine."), transcript.toString());
    }

    /**
     * The list's filters and a bulk restart from a shell: {@code list --state FAILED --text W} finds the two FAILED
     * tasks, {@code bulk restart --state FAILED --text W --max-iterations 5} restarts both (one line each, exit 0),
     * and both complete.
     */
    @Test
    void listFiltersAndBulkRestartFailedTasks() throws IOException {
        // given: two tasks that failed at their iteration limit, sharing a word
        String word = "clibulk" + java.util.UUID.randomUUID().toString().substring(0, 8);
        List<Long> failed = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String scenario = scenario("cli-bulk");
            MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));
            long id = API.submit(java.util.Map.of("input", word + " " + i + " [scenario:" + scenario + "]", "maxIterations", 1));
            assertEquals("FAILED", API.awaitTermination(id, java.time.Duration.ofSeconds(60)).path("state").asText());
            failed.add(id);
        }

        // when
        Result list = run("list", "--state", "FAILED", "--text", word, "--sort", "id", "--json");
        Result bulk = run("bulk", "restart", "--state", "FAILED", "--text", word, "--max-iterations", "5");

        // then
        assertEquals(0, list.exit(), list.toString());
        JsonNode page = JSON.readTree(list.stdout());
        assertEquals(2, page.path("total").asInt(), list.toString());
        assertEquals(failed, StreamSupport.stream(page.path("tasks").spliterator(), false).map(t -> t.path("id").asLong()).toList());
        assertEquals(0, bulk.exit(), bulk.toString());
        for (long id : failed) {
            assertTrue(bulk.stdoutLines().contains(id + " 202 RESTART_PENDING"), bulk.toString());
            assertEquals("COMPLETED", API.awaitTermination(id, java.time.Duration.ofSeconds(60)).path("state").asText());
        }
    }

    @Test
    void nodesListsTheServerAsAliveAndSelf() {
        Result r = run("nodes");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdoutLines().get(0).startsWith("NODE"), r.toString());
        assertTrue(r.stdoutLines().stream().anyMatch(l -> l.contains(" *") && l.contains(" yes ")), "this node, alive: " + r);
    }

    /**
     * The approval gate from a scheduler's shell: {@code submit --approval} and {@code --wait} (whose progress says
     * what the task waits for), {@code approvals}, then {@code approve} as an approver: exit 0 when recorded, 3 when
     * there is nothing (more) to decide or the user may not; {@code deny} needs a reason.
     */
    @Test
    void approvalsAreListedAndDecidedFromTheCommandLine() {
        // given: a task whose clean_logs needs an approval, submitted and followed with a short --wait
        String scenario = scenario("cli-approval");
        MODEL.scriptSimple(scenario, Reply.tools("clean_logs", "{\"olderThanDays\":30}"), Reply.answer("Cleaned."));
        Map<String, String> submitter = Map.of("AGENT_BATCH_USER", TestUsers.SUBMITTER,
                "AGENT_BATCH_PASSWORD", TestUsers.password(TestUsers.SUBMITTER));
        Map<String, String> approver = Map.of("AGENT_BATCH_USER", TestUsers.APPROVER,
                "AGENT_BATCH_PASSWORD", TestUsers.password(TestUsers.APPROVER));
        Result waited = run(submitter, "submit", "Clean [scenario:" + scenario + "]", "--approval", "clean_logs", "--wait",
                "--timeout", "PT8S");
        assertEquals(5, waited.exit(), "--wait keeps waiting for the approval, then times out: " + waited);
        assertTrue(waited.stdout().contains("AWAITING_APPROVAL") && waited.stdout().contains("waiting for approval of clean_logs (call_1)"),
                waited.toString());
        long id = idIn(waited.stdoutLines().stream().filter(l -> l.startsWith("task ")).findFirst().orElseThrow());

        // when / then: listed…
        Result listed = run("approvals");
        assertEquals(0, listed.exit(), listed.toString());
        assertTrue(listed.stdoutLines().stream().anyMatch(l -> l.startsWith(id + " ") && l.contains("call_1")
                && l.contains("clean_logs") && l.contains(TestUsers.SUBMITTER)), listed.toString());
        assertTrue(listed.stdout().contains("arguments: {\"olderThanDays\":30}"), listed.toString());
        // …the submitter may not decide (no approver role), a denial without a reason is refused…
        assertEquals(3, run(submitter, "approve", Long.toString(id), "call_1").exit());
        Result noReason = run(approver, "deny", Long.toString(id), "call_1");
        assertEquals(3, noReason.exit(), noReason.toString());
        assertTrue(noReason.stderr().contains("--reason"), noReason.toString());
        // …an approver approves: exit 0, and the task finishes
        Result approved = run(approver, "approve", Long.toString(id), "call_1", "--reason", "fine");
        assertEquals(0, approved.exit(), approved.toString());
        assertTrue(approved.stdout().startsWith("approved clean_logs (call_1) of task " + id + " as " + TestUsers.APPROVER),
                approved.toString());
        // …and a second decision has nothing to decide: exit 3, saying who decided
        Result again = run(approver, "approve", Long.toString(id), "call_1");
        assertEquals(3, again.exit(), again.toString());
        assertTrue(again.stderr().contains("already decided"), again.toString());
        assertEquals("COMPLETED", API.awaitTermination(id, Duration.ofSeconds(60)).path("state").asText());
    }

    private Result run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * Runs {@code bin/agent-batch} as a process with AGENT_BATCH_URL pointing at the server under test (unless
     * {@code env} says otherwise), output to files so a full pipe can never block it, killed after 120 s.
     */
    private Result run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("cli-it-", ".out");
            err = Files.createTempFile("cli-it-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(SCRIPT.getParent().getParent().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(k -> k.startsWith("AGENT_BATCH_"));
            environment.put("AGENT_BATCH_URL", URL);
            environment.put("AGENT_BATCH_USER", TestUsers.ADMIN);
            environment.put("AGENT_BATCH_PASSWORD", TestUsers.password(TestUsers.ADMIN));
            environment.put("AGENT_BATCH_POLL_MS", "100");
            environment.putAll(env);
            Process process = builder.start();
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                fail(command + " did not end within " + PROCESS_TIMEOUT + "\n--- stdout\n" + Files.readString(out)
                        + "--- stderr\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The id in a {@code task N ...} line. */
    private static long idIn(String line) {
        Matcher m = TASK_LINE.matcher(line);
        assertTrue(m.find(), "not a task line: " + line);
        return Long.parseLong(m.group(1));
    }

    private static boolean isTerminal(JsonNode task) {
        return List.of("COMPLETED", "FAILED", "STOPPED").contains(task.path("state").asText());
    }
}
