package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * The model's API key never leaves the environment: a server started with a unique random key runs tasks that
 * succeed, fail, retry and crash (kill -9, then boot again); afterwards the key appears in no file under the server's
 * data, log and tmp folders (the H2 database file included) and in no answer of the API. And a key given as a -D on
 * the command line, where the process list shows it, is refused.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("ports+450")
class SecretsIT {

    private static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();

    @Test
    void theApiKeyAppearsInNoFileAndNoAnswer() throws Exception {
        String canary = "sk-canary-" + UUID.randomUUID();
        try (ServerProcess server = ServerProcess.copyOfProvisioned("secrets-server", 450, Map.of(
                "OPENAI_API_KEY", canary,
                "OPENAI_BASE_URL", "http://127.0.0.1:" + Integer.getInteger("it.fake-model.port", 18089) + "/v1",
                "OPENAI_MODEL", "fake-model",
                "AGENT_BATCH_WORKSPACE", Path.of(System.getProperty("project.basedir", ".")).resolve("target/secrets-workspace").toString(),
                "AGENT_BATCH_DISPATCH_SWEEP_MS", "1000",
                "agent-batch.retry.backoff.base-ms", "100"))) {
            server.start();
            AgentBatchApi api = server.api();
            List<String> answers = new ArrayList<>();

            // tasks that succeed, fail, retry, and crash
            String ok = scenario("ok", List.of(Reply.tools("check_disk", "{}")), List.of(Reply.answer("done")));
            String failing = scenario("fail", List.of(Reply.status(401)));
            String retried = scenario("retry", List.of(Reply.status(429), Reply.status(500), Reply.answer("after retries")));
            CountDownLatch held = new CountDownLatch(1);
            String crashed = scenario("crash", List.of(Reply.tools("check_disk", "{}")),
                    List.of(Reply.answer("late").heldBy(held), Reply.answer("after the crash")));
            List<Long> ids = new ArrayList<>();
            for (String s : List.of(ok, failing, retried, crashed)) {
                ids.add(api.submit(Map.of("input", "secret [scenario:" + s + "]")));
            }
            MODEL.awaitCalls(crashed, 2, Duration.ofSeconds(60));
            server.kill9();
            held.countDown();
            server.start();
            for (long id : ids) {
                answers.add(api.awaitTermination(id, Duration.ofSeconds(90)).toString());
                for (String path : List.of("", "/transcript", "/executions", "/audit")) {
                    answers.add(String.valueOf(api.get("/tasks/" + id + path).body()));
                }
                try (SseClient events = SseClient.open(api, "/tasks/" + id + "/events")) {
                    events.awaitEnd(Duration.ofSeconds(30));
                    answers.add(events.events().toString());
                }
            }
            for (String path : List.of("/tasks", "/nodes", "/me", "/health")) {
                answers.add(String.valueOf(api.get(path).body()));
            }
            assertEquals("COMPLETED", api.task(ids.get(0)).path("state").asText());
            assertEquals("MODEL_ERROR", api.task(ids.get(1)).path("exitStatus").asText());
            assertEquals("COMPLETED", api.task(ids.get(2)).path("state").asText());
            assertEquals("COMPLETED", api.task(ids.get(3)).path("state").asText());

            // then
            for (String answer : answers) {
                assertFalse(answer.contains(canary), "an API answer carries the key: " + answer);
            }
            List<Path> leaks = new ArrayList<>();
            for (String folder : List.of("standalone/data", "standalone/log", "standalone/tmp")) {
                try (Stream<Path> files = Files.walk(server.home().resolve(folder))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        if (contains(file, canary)) {
                            leaks.add(file);
                        }
                    }
                }
            }
            assertEquals(List.of(), leaks, "files that carry the key");
            assertTrue(Files.exists(server.home().resolve("standalone/data/agent-batch/agent-batch.mv.db")), "the database was searched");
        }
    }

    @Test
    void aKeyGivenOnTheCommandLineIsRefused() {
        try (ServerProcess server = ServerProcess.copyOfProvisioned("secrets-cmdline-server", 460, Map.of())) {
            server.withProperty("OPENAI_API_KEY", "sk-on-the-command-line");
            String log = server.startExpectingLog("OPENAI_API_KEY was given as a -D system property", Duration.ofSeconds(180));
            assertTrue(log.contains("set it in the environment instead"), "the error says what to do");
        }
    }

    private static String scenario(String name, List<Reply>... iterations) {
        String scenario = "secrets-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
        MODEL.script(scenario, iterations);
        return scenario;
    }

    private static boolean contains(Path file, String needle) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // byte for byte, whatever the file's encoding
        return text.contains(needle) || text.contains(new String(needle.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1));
    }
}
