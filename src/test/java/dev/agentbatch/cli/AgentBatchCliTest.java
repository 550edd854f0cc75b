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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The whole client, in-process, against canned answers of a loopback HTTP server. */
class AgentBatchCliTest {

    private HttpServer server;
    private String url;
    private final Deque<String> taskAnswers = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private String submitStatusAndBody = "201 {\"id\": 12, \"state\": \"PENDING\", \"input\": \"x\"}";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/agent-batch/api/tasks", this::handle);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/agent-batch";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + body
                + (key == null ? "" : " key=" + key));
        String answer;
        if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().endsWith("/tasks")) {
            answer = submitStatusAndBody;
        } else if (exchange.getRequestURI().getPath().endsWith("/tasks/12")) {
            synchronized (taskAnswers) {
                answer = taskAnswers.size() > 1 ? taskAnswers.poll() : taskAnswers.peek();
            }
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
}
