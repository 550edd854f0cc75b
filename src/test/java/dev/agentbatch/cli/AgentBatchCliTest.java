package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The whole client, in-process, against canned answers of a loopback HTTP server: the task's answers to
 * {@code GET /tasks/12} in order, and its event stream ({@code GET /tasks/12/events}), which announces each of them.
 */
class AgentBatchCliTest {

    /** How the fake serves {@code GET /tasks/12/events}. */
    enum Events {
        /** the task, then one {@code state} event (with an id) per further answer; open until the task ends */
        STREAM,
        /** 404: a server without an event stream */
        NONE,
        /** the first connection drops after the task and one event with id 7; a reconnection gets the rest */
        DROP_AFTER_ID,
        /** the connection drops after the task event, which carries no id */
        DROP_WITHOUT_ID
    }

    private HttpServer server;
    private ExecutorService executor;
    private final CountDownLatch testOver = new CountDownLatch(1);
    private String url;
    private final Deque<String> taskAnswers = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger eventConnections = new AtomicInteger();
    private Events events = Events.STREAM;
    private String submitStatusAndBody = "201 {\"id\": 12, \"state\": \"PENDING\", \"input\": \"x\"}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/agent-batch/api/tasks", this::handle);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor); // an open event stream must not hold up the other requests
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/agent-batch";
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        testOver.countDown();
        server.stop(0);
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null) {
            authorizations.add(auth);
        }
        if (exchange.getRequestURI().getPath().endsWith("/tasks/12/events")) {
            events(exchange);
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body
                + (key == null ? "" : " key=" + key));
        String answer;
        if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().endsWith("/tasks")) {
            answer = submitStatusAndBody;
        } else if (exchange.getRequestURI().getPath().endsWith("/tasks/12")) {
            answer = nextAnswer();
        } else {
            answer = "404 {\"type\": \"about:blank\", \"title\": \"Not Found\", \"status\": 404,"
                    + " \"detail\": \"task 99 does not exist\"}";
        }
        int status = Integer.parseInt(answer.substring(0, 3));
        byte[] bytes = answer.substring(4).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
        }
    }

    private String nextAnswer() {
        synchronized (taskAnswers) {
            return taskAnswers.size() > 1 ? taskAnswers.poll() : taskAnswers.peek();
        }
    }

    /** Server-sent events: the task (the first answer) first, then one event per answer still to come. */
    private void events(HttpExchange exchange) throws IOException {
        int connection = eventConnections.incrementAndGet();
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        lastEventIds.add(lastEventId == null ? "-" : lastEventId);
        if (events == Events.NONE) {
            byte[] bytes = "{\"status\": 404, \"title\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream os = exchange.getResponseBody()) {
            int further;
            if (connection == 1) {
                String first = nextAnswer();
                send(os, "event: task\ndata: " + first.substring(4) + "\n\n");
                synchronized (taskAnswers) {
                    further = taskAnswers.size();
                }
            } else {
                synchronized (taskAnswers) {
                    further = taskAnswers.size();
                }
            }
            if (events == Events.DROP_WITHOUT_ID && connection == 1) {
                return;
            }
            for (int i = 0; i < further; i++) {
                int id = connection == 1 ? 7 : 8 + i;
                send(os, ": a comment, ignored\nevent: state\nid: " + id
                        + "\ndata: {\"type\": \"state\", \"taskId\": 12}\n\n");
                if (events == Events.DROP_AFTER_ID && connection == 1) {
                    return;
                }
            }
            String last;
            synchronized (taskAnswers) {
                last = taskAnswers.peekLast();
            }
            if (!last.contains("COMPLETED") && !last.contains("FAILED") && !last.contains("STOPPED")) {
                testOver.await(30, TimeUnit.SECONDS); // a task that goes on: the stream stays open
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(OutputStream os, String text) throws IOException {
        os.write(text.getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    private void taskGoes(String... states) {
        for (String state : states) {
            taskAnswers.add("200 " + task(state));
        }
    }

    private static String task(String state) {
        return switch (state) {
            case "RUNNING" -> "{\"id\": 12, \"state\": \"RUNNING\", \"iterations\": 1, \"maxIterations\": 10,"
                    + " \"usage\": {\"promptTokens\": 90, \"completionTokens\": 10, \"totalTokens\": 100}}";
            case "COMPLETED" -> "{\"id\": 12, \"state\": \"COMPLETED\", \"iterations\": 2, \"result\": \"Freed 9 MB.\","
                    + " \"exitStatus\": \"COMPLETED\", \"usage\": {\"totalTokens\": 250}}";
            case "FAILED" -> "{\"id\": 12, \"state\": \"FAILED\", \"iterations\": 1, \"exitStatus\": \"MAX_ITERATIONS\","
                    + " \"error\": \"gave up after 1 iteration\"}";
            default -> "{\"id\": 12, \"state\": \"" + state + "\", \"iterations\": 0}";
        };
    }

    private int run(String... args) {
        return run(Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_POLL_MS", "10"), args);
    }

    private int run(Map<String, String> env, String... args) {
        return AgentBatchCli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void submitWaitOnATaskThatCompletesExits0() {
        taskGoes("PENDING", "RUNNING", "RUNNING", "COMPLETED");
        assertEquals(0, run("submit", "Fix", "it", "--wait"));
        List<String> lines = stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("task 12 PENDING  iteration 0"), stdout());
        assertTrue(lines.get(1).startsWith("task 12 RUNNING  iteration 1 of 10  tokens 100  elapsed "), stdout());
        assertEquals(4, lines.size(), "one line per change, not per poll: " + stdout());
        assertEquals("task 12 COMPLETED in 2 iterations: Freed 9 MB.", lines.get(3));
        assertEquals("", stderr());
    }

    @Test
    void submitWaitOnATaskThatFailsExits1() {
        taskGoes("RUNNING", "FAILED");
        assertEquals(1, run("submit", "Fix it", "--wait"));
        assertTrue(stdout().endsWith("task 12 FAILED (MAX_ITERATIONS): gave up after 1 iteration\n"), stdout());
    }

    @Test
    void submitWithoutWaitPrintsTheIdAndSendsTheOptions() {
        assertEquals(0, run("submit", "Fix it", "--priority", "7", "--deadline", "PT5M", "--max-iterations", "3",
                "--budget-tokens", "9000", "--tools", "a,b", "--key", "k1"));
        assertEquals("12\n", stdout());
        assertEquals(List.of("POST /agent-batch/api/tasks {\"input\":\"Fix it\",\"priority\":7,\"deadline\":\"PT5M\","
                + "\"maxIterations\":3,\"budgetTokens\":9000,\"tools\":[\"a\",\"b\"]} key=k1"), requests);
    }

    @Test
    void waitWithJsonKeepsStdoutOneDocument() {
        taskGoes("RUNNING", "COMPLETED");
        assertEquals(0, run("submit", "x", "--wait", "--json"));
        assertEquals("COMPLETED", Json.text(TaskPrinterTest.parse(stdout()).path("state")));
        assertTrue(stderr().startsWith("task 12 RUNNING"), stderr());
    }

    @Test
    void aRejectedSubmitExits3WithTheProblemDetail() {
        submitStatusAndBody = "400 {\"type\": \"about:blank\", \"title\": \"Bad Request\", \"status\": 400,"
                + " \"detail\": \"maxIterations must be at most 100\"}";
        assertEquals(3, run("submit", "x", "--max-iterations", "1000", "--wait"));
        assertEquals("agent-batch: maxIterations must be at most 100\n", stderr());
        assertEquals("", stdout());
    }

    @Test
    void anUnreachableServerExits4() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String closed = "http://127.0.0.1:" + closedPort + "/agent-batch";
        assertEquals(4, run(Map.of("AGENT_BATCH_URL", closed), "submit", "x", "--wait"));
        assertEquals("agent-batch: server not reachable at " + closed
                + " (start it with: bin/agent-batch server start)\n", stderr());
    }

    @Test
    void aServerErrorExits4() {
        submitStatusAndBody = "500 {\"title\": \"Internal Server Error\", \"status\": 500}";
        assertEquals(4, run("submit", "x"));
        assertEquals("agent-batch: server error 500 on POST /agent-batch/api/tasks: Internal Server Error\n", stderr());
    }

    @Test
    void waitingPastTheTimeoutExits5() {
        taskGoes("RUNNING");
        assertEquals(5, run("submit", "x", "--timeout", "0.2"));
        assertTrue(stderr().startsWith("agent-batch: task 12 still RUNNING after PT0.2S"), stderr());
    }

    @Test
    void statusExitsByTheTaskState() {
        taskGoes("FAILED");
        assertEquals(1, run("status", "12"));
        assertTrue(stdout().startsWith("task 12 FAILED (MAX_ITERATIONS)"), stdout());
        assertEquals(3, run("status", "99"));
        assertEquals("agent-batch: task 99 does not exist\n", stderr());
    }

    @Test
    void usageErrorsExit3BeforeAnyRequest() {
        assertEquals(3, run("submit", "x", "--priority", "urgent"));
        assertEquals(3, run("submit"));
        assertEquals(3, run("frobnicate"));
        assertEquals(3, run(Map.of("AGENT_BATCH_PORT_OFFSET", "lots"), "list"));
        assertEquals(List.of(), requests);
        assertEquals(List.of("agent-batch: --priority must be an integer 0-9, got 'urgent'",
                "agent-batch: 'submit' needs the task text: bin/agent-batch submit \"Fix the disk space\"",
                "agent-batch: unknown command 'frobnicate' (see: bin/agent-batch help)",
                "agent-batch: AGENT_BATCH_PORT_OFFSET must be an integer 0-55545, got 'lots'"), stderr().lines().toList());
    }

    @Test
    void helpExits0() {
        assertEquals(0, run("help"));
        assertTrue(stdout().contains("exit codes:"));
    }

    @Test
    void portOffsetShiftsTheDefaultUrl() {
        Context ctx = new Context(Map.of("AGENT_BATCH_PORT_OFFSET", "100"), System.out, System.err, false);
        assertEquals("http://127.0.0.1:8180/agent-batch", ctx.baseUrl());
        Context both = new Context(Map.of("AGENT_BATCH_PORT_OFFSET", "100", "AGENT_BATCH_URL", "http://h:1/x/"),
                System.out, System.err, false);
        assertEquals("http://h:1/x", both.baseUrl());
    }

    @Test
    void waitFollowsTheEventStreamAndReadsTheTaskAfterEachEvent() {
        taskGoes("PENDING", "RUNNING", "COMPLETED");
        assertEquals(0, run("submit", "x", "--wait"));
        assertEquals(1, eventConnections.get());
        assertEquals(List.of("-"), lastEventIds, "no Last-Event-ID on the first connection");
        // the submit, then one read per event after the first (which carries the task), then the outcome's
        assertEquals(4, requests.size(), requests.toString());
        assertEquals("", stderr());
    }

    @Test
    void aDroppedStreamIsResumedWithLastEventId() {
        events = Events.DROP_AFTER_ID;
        taskGoes("PENDING", "RUNNING", "COMPLETED");
        assertEquals(0, run("submit", "x", "--wait"));
        assertEquals(List.of("-", "7"), lastEventIds);
        assertEquals(List.of("agent-batch: the event stream of task 12 dropped (the server closed the stream);"
                + " reconnecting after event 7"), stderr().lines().toList());
        assertEquals("task 12 COMPLETED in 2 iterations: Freed 9 MB.", lastLine(stdout()));
    }

    @Test
    void aStreamThatDropsWithoutAnIdFallsBackToPolling() {
        events = Events.DROP_WITHOUT_ID;
        taskGoes("PENDING", "RUNNING", "COMPLETED");
        assertEquals(0, run("submit", "x", "--wait"));
        assertEquals(1, eventConnections.get());
        assertEquals(List.of("agent-batch: the event stream of task 12 dropped (the server closed the stream) before"
                + " an event id to resume from; following it by polling GET /api/tasks/12"), stderr().lines().toList());
        List<String> lines = stdout().lines().toList();
        assertTrue(lines.get(0).startsWith("task 12 PENDING") && lines.get(1).startsWith("task 12 RUNNING"), stdout());
        assertEquals("task 12 COMPLETED in 2 iterations: Freed 9 MB.", lastLine(stdout()));
    }

    @Test
    void aServerWithoutEventStreamIsPolled() {
        events = Events.NONE;
        taskGoes("PENDING", "RUNNING", "RUNNING", "FAILED");
        assertEquals(1, run("submit", "x", "--wait"));
        assertEquals(List.of("agent-batch: the server offers no event stream for task 12 (HTTP 404); following it by"
                + " polling GET /api/tasks/12"), stderr().lines().toList());
        assertEquals(List.of("task 12 PENDING  iteration 0  tokens 0", "task 12 RUNNING  iteration 1 of 10  tokens 100",
                "task 12 FAILED  iteration 1  tokens 0", "task 12 FAILED (MAX_ITERATIONS): gave up after 1 iteration"),
                stdout().lines().map(l -> l.replaceAll("  elapsed .*", "")).toList());
    }

    @Test
    void credentialsFromTheEnvironmentGoAsBasicAuthentication() {
        taskGoes("COMPLETED");
        Map<String, String> env = Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_USER", "alice",
                "AGENT_BATCH_PASSWORD", "s3cret: with colon");
        assertEquals(0, run(env, "status", "12"));
        assertEquals(List.of("Basic " + Base64.getEncoder().encodeToString(
                "alice:s3cret: with colon".getBytes(StandardCharsets.UTF_8))), authorizations);
    }

    @Test
    void theLocalServersCredentialsFileIsUsedForTheLocalServerOnly(@TempDir Path home) throws IOException {
        taskGoes("COMPLETED");
        Path file = LocalUser.credentialsFile(home.resolve("target/server"));
        Files.createDirectories(file.getParent());
        Files.writeString(file, "user=agent-batch-local\npassword=pw\n");
        int offset = server.getAddress().getPort() - 8080; // the fake is "the local server" at 8080 + offset
        assertEquals(0, run(Map.of("AGENT_BATCH_HOME", home.toString(), "AGENT_BATCH_PORT_OFFSET",
                String.valueOf(offset)), "status", "12"));
        assertEquals(0, run(Map.of("AGENT_BATCH_HOME", home.toString(), "AGENT_BATCH_URL", url), "status", "12"));
        assertEquals(List.of("Basic " + Base64.getEncoder().encodeToString(
                "agent-batch-local:pw".getBytes(StandardCharsets.UTF_8))), authorizations, "only the first run");
    }

    @Test
    void refusedCredentialsExit3WithOneLine() {
        taskAnswers.add("401 {\"status\": 401, \"title\": \"Unauthorized\"}");
        Map<String, String> env = Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_USER", "alice",
                "AGENT_BATCH_PASSWORD", "x");
        assertEquals(3, run(env, "status", "12"));
        assertEquals("agent-batch: the server refused the credentials of user alice (from AGENT_BATCH_USER) (401);"
                + " set AGENT_BATCH_USER/AGENT_BATCH_PASSWORD\n", stderr());
    }

    @Test
    void aMissingRoleExits3WithTheServersDetail() {
        taskAnswers.add("403 {\"status\": 403, \"title\": \"Forbidden\", \"detail\": \"needs role agent-operator\"}");
        Map<String, String> env = Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_USER", "bob",
                "AGENT_BATCH_PASSWORD", "x");
        assertEquals(3, run(env, "status", "12"));
        assertEquals("agent-batch: user bob (from AGENT_BATCH_USER) may not GET /agent-batch/api/tasks/12 (403):"
                + " needs role agent-operator\n", stderr());
    }

    @Test
    void noPasswordGoesInClearTextToAnotherHost() {
        Map<String, String> env = Map.of("AGENT_BATCH_URL", "http://batch01.invalid:8080/agent-batch",
                "AGENT_BATCH_USER", "alice", "AGENT_BATCH_PASSWORD", "x");
        assertEquals(3, run(env, "status", "12"));
        assertTrue(stderr().startsWith("agent-batch: refusing to send the password of user alice"), stderr());
        assertEquals(3, run(Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_USER", "alice"), "list"));
        assertTrue(stderr().endsWith("agent-batch: AGENT_BATCH_USER is set but AGENT_BATCH_PASSWORD is not\n"),
                stderr());
    }

    @Test
    void versionAndEveryCommandsHelpExit0() {
        assertEquals(0, run("--version"));
        assertTrue(stdout().startsWith("agent-batch "), stdout());
        for (String command : List.of("demo", "submit", "status", "list", "transcript", "restart", "stop", "sql",
                "purge", "server")) {
            out.reset();
            assertEquals(0, run(command, "--help"), command);
            assertTrue(stdout().startsWith("Usage: agent-batch " + command), stdout());
        }
        out.reset();
        assertEquals(0, run("help", "submit"));
        assertTrue(stdout().contains("--max-iterations=N"), stdout());
        assertEquals(List.of(), requests);
    }

    @Test
    void completionScriptCoversTheCommands() {
        assertEquals(0, run("generate-completion"));
        assertTrue(stdout().contains("complete -F _complete_agent-batch"), stdout());
        assertTrue(stdout().contains("--max-iterations"), "options of submit are completed");
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
