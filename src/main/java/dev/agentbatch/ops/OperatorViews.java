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
 * repository tables, from {@code META-INF/sql/operator-views-<database>.sql}. Idempotent: runs at every start.
 */
@ApplicationScoped
public class OperatorViews {

    private static final Logger LOG = Logger.getLogger(OperatorViews.class.getName());

    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    public void create() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            String script = product.contains("postgres") ? "postgresql" : "h2";
            for (String sql : statements(script)) {
                s.execute(sql);
            }
            LOG.info(() -> "operator views AGENT_TASK_RUN and AGENT_TOOL_CALL are ready (" + product + ")");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot create the operator views", e);
        }
    }

    static List<String> statements(String database) throws IOException {
        try (InputStream in = OperatorViews.class.getResourceAsStream("/META-INF/sql/operator-views-" + database + ".sql")) {
            if (in == null) {
                throw new IOException("no operator-views-" + database + ".sql");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("(?m)^;\\s*$"))
                    .map(block -> block.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim())
                    .filter(sql -> !sql.isEmpty())
                    .toList();
        }
    }
}
