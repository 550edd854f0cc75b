package dev.agentbatch.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every setting of the product, read when the deployment starts from the environment
 * (or a system property of the same name, which wins: tests and {@code standalone.sh -D…} use it).
 * Nothing is baked in at build time, so one build runs against any model and workspace,
 * and no secret ever travels in a job parameter.
 */
@ApplicationScoped
public class AgentBatchConfig {

    public static final String DEMO_MODEL_NAME = "offline-demo";

    public Optional<String> openAiApiKey() {
        return get("OPENAI_API_KEY");
    }

    /** The model server; without an API key, the built-in offline demo model on loopback. */
    public String openAiBaseUrl() {
        if (usesDemoModel()) {
            return "http://127.0.0.1:" + httpPort() + "/agent-batch/api/demo-model/v1";
        }
        return get("OPENAI_BASE_URL").orElse("https://api.openai.com/v1");
    }

    public String openAiModel() {
        return usesDemoModel() ? DEMO_MODEL_NAME : get("OPENAI_MODEL").orElse("gpt-4o-mini");
    }

    public boolean usesDemoModel() {
        return openAiApiKey().isEmpty();
    }

    /** Retries inside openai-java; 0 by default so that the retry policy of agent-task.xml is the one in charge. */
    public int openAiMaxRetries() {
        return get("AGENT_BATCH_OPENAI_MAX_RETRIES").map(Integer::parseInt).orElse(0);
    }

    public Path workspace() {
        return get("AGENT_BATCH_WORKSPACE").map(Path::of)
                .orElseGet(() -> dataDir().resolve("agent-batch").resolve("workspace"))
                .toAbsolutePath().normalize();
    }

    /** {@code host:port} pairs the {@code http_request} tool may call; empty means none. */
    public List<String> httpAllowedHosts() {
        return get("AGENT_BATCH_HTTP_ALLOWED_HOSTS")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /**
     * The node's cap on running tasks, never more than the batch thread pool can carry: JBeret needs a thread per
     * job plus spare ones to start a job, so the cap is held at {@link #batchThreads()} − 2.
     */
    public int maxConcurrentTasks() {
        int cap = get("AGENT_BATCH_MAX_CONCURRENT_TASKS").map(Integer::parseInt).orElse(8);
        return Math.max(1, Math.min(cap, batchThreads() - 2));
    }

    /** The batch-jberet thread pool's size: the same variable and default as src/main/server/configure-server.cli. */
    public int batchThreads() {
        return get("AGENT_BATCH_BATCH_THREADS").map(Integer::parseInt).orElse(64);
    }

    /** How often the dispatcher sweeps the queue even when nobody woke it: a safety net only. */
    public Duration dispatchSweep() {
        return get("AGENT_BATCH_DISPATCH_SWEEP_MS").map(Long::parseLong).map(Duration::ofMillis)
                .orElse(Duration.ofSeconds(5));
    }

    /**
     * How often a dispatcher pass also counts the finished tasks (COMPLETED, FAILED, STOPPED) for the tasks-by-state
     * gauges, a count of every task kept; the live states are counted on every pass. PT0S counts them on every pass.
     */
    public Duration finishedGaugeRefresh() {
        return get("AGENT_BATCH_FINISHED_GAUGE_REFRESH").map(Duration::parse).orElse(Duration.ofMinutes(1));
    }

    /**
     * How long an execution may be silent in the job repository, not running in this JVM, before the stranded-task
     * sweep treats it as an orphan (one created before this deployment started is one at once).
     */
    public Duration strandedGrace() {
        return get("AGENT_BATCH_STRANDED_GRACE_MS").map(Long::parseLong).map(Duration::ofMillis)
                .orElse(Duration.ofSeconds(30));
    }

    /** How often this node writes its heartbeat (AGENT_NODE.HEARTBEAT_AT, the database's clock). */
    public Duration nodeHeartbeat() {
        return get("AGENT_BATCH_NODE_HEARTBEAT_MS").map(Long::parseLong).map(Duration::ofMillis).orElse(Duration.ofSeconds(2));
    }

    /** A node whose heartbeat is older than this is dead: its tasks are taken over, and it may not claim work. */
    public Duration nodeLease() {
        return get("AGENT_BATCH_NODE_LEASE_MS").map(Long::parseLong).map(Duration::ofMillis).orElse(Duration.ofSeconds(10));
    }

    /** How long finished tasks and their job repository rows are kept (job agent-purge). */
    public int retentionDays() {
        return get("AGENT_BATCH_RETENTION_DAYS").map(Integer::parseInt).orElse(30);
    }

    /** No one approves the calls of a task they submitted (on by default; off for single-person setups). */
    public boolean fourEyes() {
        return get("AGENT_BATCH_FOUR_EYES").map(v -> !v.equalsIgnoreCase("false")).orElse(true);
    }

    /**
     * The approval rules of a task that names none (comma-separated, e.g. {@code clean_logs,http_request:!GET}); empty
     * by default: nothing is gated.
     */
    public List<String> approvalTools() {
        return get("AGENT_BATCH_APPROVAL_TOOLS").map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(e -> !e.isEmpty()).toList()).orElse(List.of());
    }

    /** How long a gated call of a task that names no approvalTimeout waits for a decision (ISO-8601; "none": forever). */
    public Optional<String> approvalTimeout() {
        String value = get("AGENT_BATCH_APPROVAL_TIMEOUT").orElse("P7D");
        return value.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(value);
    }

    /** How much of a response body http_request hands the model (characters; the rest is cut). */
    public int toolResultMaxChars() {
        return get("AGENT_BATCH_TOOL_RESULT_MAX_CHARS").map(Integer::parseInt).orElse(4000);
    }

    /** How long task events are kept for followers that reconnect (SSE Last-Event-ID); purged by agent-purge. */
    public Duration eventRetention() {
        return get("AGENT_BATCH_EVENT_RETENTION").map(Duration::parse).orElse(Duration.ofDays(1));
    }

    /**
     * How often every event stream gets a comment line: an idle connection is what proxies close (nginx cuts at 60 s by
     * default), and a write is how a client that went away is noticed. (It does not help over HTTP/2, where WildFly's
     * read-timeout counts what the client sends: README "HTTPS".)
     */
    public Duration sseKeepAlive() {
        return get("AGENT_BATCH_SSE_KEEPALIVE_MS").map(Long::parseLong).map(Duration::ofMillis).orElse(Duration.ofSeconds(15));
    }

    /** How often agent-purge runs; PT0S turns the schedule off (purge on demand only). */
    public Duration purgeInterval() {
        return get("AGENT_BATCH_PURGE_INTERVAL").map(Duration::parse).orElse(Duration.ofDays(1));
    }

    /** Stable across restarts of the same server (recovery finds its own tasks by it): node name plus port offset. */
    public String nodeId() {
        return get("AGENT_BATCH_NODE_ID").orElseGet(() -> {
            String name = System.getProperty("jboss.node.name");
            if (name == null) {
                try {
                    name = InetAddress.getLocalHost().getHostName();
                } catch (Exception e) {
                    name = "localhost";
                }
            }
            int offset = Integer.getInteger("jboss.socket.binding.port-offset", 0);
            return offset == 0 ? name : name + ":" + offset;
        });
    }

    public Path dataDir() {
        return Path.of(System.getProperty("jboss.server.data.dir", System.getProperty("java.io.tmpdir")));
    }

    int httpPort() {
        int base = Integer.getInteger("jboss.http.port", 8080);
        int offset = Integer.getInteger("jboss.socket.binding.port-offset", 0);
        return base + offset;
    }

    static Optional<String> get(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
