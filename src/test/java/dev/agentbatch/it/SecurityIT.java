package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.agentbatch.it.FakeOpenAiServer.Reply;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

/**
 * Who may do what, on the real server: every endpoint of the API (found by reading the resource classes: a new
 * endpoint this table does not know fails the test) × {no credentials, no role, viewer, submitter, operator,
 * approver}, with the status each must get (README "Security", the table of endpoints and roles); the ownership rule;
 * the 401 challenge and the 403 that names the missing role; the browser session's CSRF token; batch permissions
 * through jboss-cli; size limits; and an internal error that shows an id, never its message.
 */
class SecurityIT extends IntegrationTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CALLERS = {null, TestUsers.NO_ROLE, TestUsers.VIEWER, TestUsers.SUBMITTER,
            TestUsers.OPERATOR, TestUsers.APPROVER};
    /** Authorized, and the call did what it does (the exact code depends on the task's state, asserted elsewhere). */
    private static final int OK = 0;

    /** One endpoint: the status for each caller, in the order of {@link #CALLERS}. */
    record Expected(String method, String path, int... statuses) {
    }

    /** The contract (README "Security"): 401 without credentials, 403 for the wrong role, OK when allowed. */
    private static final List<Expected> TABLE = List.of(
            new Expected("GET", "/health", 200, 200, 200, 200, 200, 200),
            new Expected("POST", "/demo-model/v1/chat/completions", 200, 200, 200, 200, 200, 200),
            new Expected("GET", "/me", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/nodes", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/events", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks/counts", 401, 403, 200, 200, 200, 200),
            // the role is checked at the door; each task is then checked as its single call would be (per-id results)
            new Expected("POST", "/tasks/bulk/restart", 401, 403, 403, 200, 200, 403),
            new Expected("POST", "/tasks/bulk/stop", 401, 403, 403, 200, 200, 403),
            new Expected("POST", "/tasks", 401, 403, 403, 201, 403, 403),
            new Expected("GET", "/tasks/{id}", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks/{id}/transcript", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks/{id}/executions", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks/{id}/events", 401, 403, 200, 200, 200, 200),
            new Expected("GET", "/tasks/{id}/audit", 401, 403, 200, 200, 200, 200),
            // a task someone else submitted: a submitter may not touch it, an operator may
            new Expected("POST", "/tasks/{id}/restart", 401, 403, 403, 403, 202, 403),
            new Expected("POST", "/tasks/{id}/stop", 401, 403, 403, 403, OK, 403),
            new Expected("POST", "/ops/purge", 401, 403, 403, 403, 202, 403),
            new Expected("GET", "/approvals", 401, 403, 200, 200, 200, 200),
            // only an approver decides (here: a call that does not exist, so 404 once the role check passed)
            new Expected("POST", "/tasks/{id}/approvals/{toolCallId}", 401, 403, 403, 403, 403, 404),
            new Expected("GET", "/ops/executions/{id}", 401, 403, 200, 200, 200, 200));

    @Test
    void everyEndpointAnswersEachRoleAsTheTableSays() throws Exception {
        // the table knows every endpoint the resource classes declare, and nothing else
        assertEquals(new TreeSet<>(endpointsOfTheResourceClasses()),
                new TreeSet<>(TABLE.stream().map(e -> e.method() + " " + e.path()).toList()),
                "an endpoint was added or removed: give it its row in this table and in the README");

        for (Expected endpoint : TABLE) {
            for (int c = 0; c < CALLERS.length; c++) {
                String caller = CALLERS[c];
                long task = endpoint.path().contains("{id}") ? failedTaskOf(TestUsers.ADMIN) : 0;
                String path = endpoint.path().replace("{toolCallId}", "call_none").replace("{id}", Long.toString(
                        endpoint.path().startsWith("/ops/executions") ? API.task(task).path("executionId").asLong() : task));
                HttpResponse<String> response = call(caller, endpoint.method(), path);
                int expected = endpoint.statuses()[c];
                String cell = endpoint.method() + " " + endpoint.path() + " as " + (caller == null ? "no credentials" : caller)
                        + " → " + response.statusCode() + " " + response.body();
                if (expected == OK) {
                    assertTrue(response.statusCode() != 401 && response.statusCode() != 403 && response.statusCode() < 500, cell);
                } else {
                    assertEquals(expected, response.statusCode(), cell);
                }
                if (response.statusCode() == 401) {
                    assertEquals("Basic realm=\"agent-batch\", charset=\"UTF-8\"",
                            response.headers().firstValue("WWW-Authenticate").orElse(null), "a BASIC challenge: " + cell);
                    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), cell);
                }
                if (response.statusCode() == 403) {
                    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), cell);
                    assertTrue(response.body().contains("agent-"), "the 403 names the role it needs: " + cell);
                }
            }
        }
    }

    @Test
    void aSubmitterActsOnTheirOwnTasksOnly() {
        // given: a task of it-submitter and one of it-submitter2, both FAILED
        long mine = failedTaskOf(TestUsers.SUBMITTER);
        long theirs = failedTaskOf(TestUsers.SUBMITTER2);
        AgentBatchApi submitter = AgentBatchApi.as(TestUsers.SUBMITTER);

        // when / then
        AgentBatchApi.Reply refused = submitter.post("/tasks/" + theirs + "/restart", Map.of());
        assertEquals(403, refused.status(), String.valueOf(refused.body()));
        assertTrue(refused.body().path("detail").asText().contains("agent-operator"), refused.body().toString());
        assertEquals(202, submitter.post("/tasks/" + mine + "/restart", Map.of()).status());
        JsonNode task = API.awaitTermination(mine, Duration.ofSeconds(60));
        assertEquals(TestUsers.SUBMITTER, task.path("submittedBy").asText());
        // …and the audit says who did what
        JsonNode audit = API.get("/tasks/" + mine + "/audit").body().path("audit");
        assertEquals("SUBMIT", audit.get(0).path("action").asText(), audit.toString());
        assertEquals(TestUsers.SUBMITTER, audit.get(0).path("actor").asText());
        assertEquals("RESTART", audit.get(1).path("action").asText(), audit.toString());
        assertEquals(TestUsers.SUBMITTER, audit.get(1).path("actor").asText());
        assertEquals(1, JobRepository.query("select count(*) N from AGENT_AUDIT where TASK_ID = ? and ACTION = 'RESTART'",
                mine).size());
    }

    @Test
    void aBrowserSessionNeedsItsCsrfTokenToChangeAnything() throws Exception {
        // given: a console login (FORM): the session cookie is all the browser sends
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String base = API.base().replace("/api", "");
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(base + "/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + TestUsers.ADMIN + "&j_password="
                        + TestUsers.password(TestUsers.ADMIN))).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(login.statusCode() == 302 || login.statusCode() == 200, login.statusCode() + " " + login.body());
        JsonNode me = JSON.readTree(browser.send(HttpRequest.newBuilder(URI.create(API.base() + "/me")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(TestUsers.ADMIN, me.path("user").asText(), me.toString());
        String token = me.path("csrfToken").asText();
        assertFalse(token.isBlank(), me.toString());
        String body = "{\"input\":\"from the console\"}";

        // when / then: without the token, refused; with it, accepted; from another site, refused whatever it sends
        assertEquals(403, browser.send(post(API.base() + "/tasks", body).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(201, browser.send(post(API.base() + "/tasks", body).header("X-CSRF-Token", token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(403, browser.send(post(API.base() + "/tasks", body).header("X-CSRF-Token", token)
                .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        // …and the console's pages need the login too: without it, the login page
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/console/"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(anonymous.body().contains("j_security_check"), "the login page: " + anonymous.statusCode());
        // …and a user with none of the roles gets a page that says which role is missing, not a bare error
        HttpResponse<String> noRole = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/console/"))
                .header("Authorization", AgentBatchApi.as(TestUsers.NO_ROLE).authorization()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noRole.statusCode(), noRole.body());
        assertTrue(noRole.body().contains("agent-viewer"), noRole.body());
    }

    @Test
    void batchOperationsThroughJbossCliNeedAnOperator() throws Exception {
        // given: a FAILED task
        long id = failedTaskOf(TestUsers.ADMIN);
        long exec = API.task(id).path("executionId").asLong();
        String restart = "/deployment=agent-batch.war/subsystem=batch-jberet:restart-job(execution-id=" + exec + ")";

        // when: a management user whose application user of the same name is only a viewer
        Process p = new ProcessBuilder(Path.of(System.getProperty("it.server.dir"), "bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + System.getProperty("it.management.port"), "--no-local-auth",
                "--user=" + TestUsers.MANAGEMENT, "--password=" + TestUsers.MANAGEMENT + "-pw", "--command=" + restart)
                .redirectErrorStream(true).start();
        String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();

        // then: JBeret's JobOperator refuses it; the local administrator (jboss-cli's local authentication) may
        assertTrue(refused.contains("WFLYBATCH000020"), refused);
        assertEquals("FAILED", API.task(id).path("state").asText());
        assertTrue(JbossCli.run(restart).contains("success"));
        API.awaitExecutionChange(id, exec, Duration.ofSeconds(60));
    }

    @Test
    void oversizedBodiesAndHeadersAreClientErrors() throws Exception {
        String big = "{\"input\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        HttpResponse<String> body = HttpClient.newHttpClient().send(post(API.base() + "/tasks", big)
                .header("Authorization", API.authorization()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, body.statusCode(), body.body());
        assertTrue(body.body().contains("\"status\":413"), body.body());
        HttpResponse<String> header = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(API.base() + "/tasks"))
                .header("Authorization", API.authorization()).header("X-Padding", "p".repeat(9000)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(431, header.statusCode(), header.body());
    }

    @Test
    void anInternalErrorShowsAnIdAndNeverItsMessage() throws Exception {
        // given: a task whose transcript read fails on the server (a test-only fault point)
        String scenario = scenario("rest-error");
        MODEL.scriptSimple(scenario, Reply.answer("done"));
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "] [fault:fail-rest]"));
        API.awaitTermination(id, Duration.ofSeconds(60));

        // when
        AgentBatchApi.Reply reply = API.get("/tasks/" + id + "/transcript");

        // then
        assertEquals(500, reply.status());
        String errorId = reply.body().path("errorId").asText();
        assertFalse(errorId.isBlank(), reply.body().toString());
        assertFalse(reply.body().toString().contains("injected fault"), "no raw message: " + reply.body());
        String log = Files.readString(Path.of(System.getProperty("it.server.dir"), "standalone/log/server.log"));
        assertTrue(log.contains("[error " + errorId + "]"), "the server log has the same id");
    }

    // --- helpers ---

    /** Every "METHOD /path" the JAX-RS resource classes of the product declare (under /api). */
    static List<String> endpointsOfTheResourceClasses() throws IOException {
        List<String> endpoints = new ArrayList<>();
        Path classes = Path.of(System.getProperty("project.basedir", "."), "target/classes");
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                String name = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
                Class<?> type;
                try {
                    type = Class.forName(name, false, SecurityIT.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    continue;
                }
                jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
                if (root == null) {
                    continue;
                }
                for (Method m : type.getDeclaredMethods()) {
                    String verb = m.isAnnotationPresent(GET.class) ? "GET" : m.isAnnotationPresent(POST.class) ? "POST"
                            : m.isAnnotationPresent(PUT.class) ? "PUT" : m.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
                    if (verb != null) {
                        jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                        endpoints.add(verb + " " + root.value() + (sub == null ? "" : sub.value()));
                    }
                }
            }
        }
        return endpoints;
    }

    /** A task of {@code user} that failed at its iteration limit. */
    private static long failedTaskOf(String user) {
        String scenario = scenario("sec");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));
        long id = AgentBatchApi.as(user).submit(Map.of("input", "Go [scenario:" + scenario + "]", "maxIterations", 1));
        API.awaitTermination(id, Duration.ofSeconds(60));
        return id;
    }

    private static HttpResponse<String> call(String user, String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(API.base() + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", AgentBatchApi.as(user).authorization());
        }
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(bodyFor(path)));
        } else {
            request.GET();
        }
        if (path.endsWith("/events")) {
            // a stream: the status line is all this needs (the global one never ends)
            HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String body = "(stream)";
            try (InputStream in = stream.body()) {
                if (stream.statusCode() != 200) {
                    body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8); // a refusal ends
                }
            }
            return new StatusOnly(stream, body);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bodyFor(String path) {
        if (path.equals("/tasks")) {
            return "{\"input\":\"matrix [scenario:" + scripted(() -> Reply.answer("done")) + "]\"}";
        }
        if (path.startsWith("/demo-model")) {
            return "{\"model\":\"offline-demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        }
        if (path.contains("/approvals/")) {
            return "{\"decision\":\"approve\"}";
        }
        if (path.startsWith("/tasks/bulk/")) {
            return "{\"ids\":[987654321]}";
        }
        if (path.equals("/ops/purge")) {
            return "{\"retentionDays\":30}";
        }
        return "{}";
    }

    private static String scripted(Supplier<Reply> reply) {
        String scenario = scenario("matrix");
        MODEL.scriptSimple(scenario, reply.get());
        return scenario;
    }

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    /** A streamed response reduced to its status and headers. */
    private record StatusOnly(HttpResponse<InputStream> response, String body) implements HttpResponse<String> {
        public int statusCode() {
            return response.statusCode();
        }

        public HttpRequest request() {
            return response.request();
        }

        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        public java.net.http.HttpHeaders headers() {
            return response.headers();
        }

        public String body() {
            return body;
        }

        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return response.sslSession();
        }

        public URI uri() {
            return response.uri();
        }

        public HttpClient.Version version() {
            return response.version();
        }
    }
}
