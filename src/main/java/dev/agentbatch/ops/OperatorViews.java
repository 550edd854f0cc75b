package dev.agentbatch.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Creates the operator views (AGENT_TASK_RUN, AGENT_TOOL_CALL) and the indexes they join on, beside the job
 * repository tables, from {@code META-INF/sql/operator-views.sql} (H2 SQL; on PostgreSQL the one H2-only function
 * is replaced). Idempotent: runs at every start.
 */
@ApplicationScoped
public class OperatorViews {

    private static final Logger LOG = Logger.getLogger(OperatorViews.class.getName());
    /** The one dialect difference of the script: a duration in milliseconds. */
    static final String H2_DURATION_MS = "DATEDIFF('MILLISECOND', l.STARTED_AT, l.ENDED_AT)";
    static final String POSTGRES_DURATION_MS = "CAST(EXTRACT(EPOCH FROM (l.ENDED_AT - l.STARTED_AT)) * 1000 AS BIGINT)";

    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    public void create() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            for (String sql : statements()) {
                s.execute(product.contains("postgres") ? sql.replace(H2_DURATION_MS, POSTGRES_DURATION_MS) : sql);
            }
            LOG.info(() -> "operator views AGENT_TASK_RUN and AGENT_TOOL_CALL are ready (" + product + ")");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot create the operator views", e);
        }
    }

    static List<String> statements() throws IOException {
        try (InputStream in = OperatorViews.class.getResourceAsStream("/META-INF/sql/operator-views.sql")) {
            if (in == null) {
                throw new IOException("no META-INF/sql/operator-views.sql");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("(?m)^;\\s*$"))
                    .map(block -> block.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim())
                    .filter(sql -> !sql.isEmpty())
                    .toList();
        }
    }
}
