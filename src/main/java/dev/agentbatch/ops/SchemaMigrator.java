package dev.agentbatch.ops;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.hibernate.SessionFactory;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

/**
 * Brings the schema to this version with Flyway, first thing at deployment start (before the dispatcher, recovery or
 * anything that reads a table), then checks that the entities match it. Flyway takes its lock for the whole migration
 * (an advisory lock on PostgreSQL, a row lock of the history table on H2), so several nodes booting at once against
 * an empty database are safe: one migrates, the others wait and find it done.
 *
 * <p>One history serves both databases: {@code db/migration/common} holds the SQL they share, and
 * {@code db/migration/h2} or {@code db/migration/postgresql} what differs (V1, the operator views). JBeret creates its
 * own tables when the server boots, so no database is ever empty when this runs: a database without the agent's
 * tables is baselined at 0 (V1 creates everything, {@code IF NOT EXISTS} for JBeret's), and an H2 database made by
 * agent-batch 0.1.0 (Hibernate's {@code hbm2ddl=update}, no history) is checked against V1 and baselined at 1.
 * Never run inside a JTA transaction: Flyway commits on its own.
 */
@ApplicationScoped
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    /** The agent's tables and their columns in V1: what a 0.1.0 database must have to be baselined at 1. */
    static final Map<String, Set<String>> V1_COLUMNS = Map.of(
            "AGENT_TASK", Set.of("ID", "BUDGET_TOKENS", "COMPLETION_TOKENS", "CREATED_AT", "DEADLINE", "ENDED_AT", "EPOCH",
                    "ERROR", "EXIT_STATUS", "IDEMPOTENCY_KEY", "INPUT", "ITERATIONS", "JOB_EXECUTION_ID", "JOB_INSTANCE_ID",
                    "MAX_ITERATIONS", "NODE_ID", "PRIORITY", "PROMPT_TOKENS", "REQUEST_HASH", "RESULT", "STARTED_AT", "STATE",
                    "TOOL_FAILURES", "TOOLS", "UPDATED_AT"),
            "AGENT_MESSAGE", Set.of("ID", "CONTENT", "CREATED_AT", "IN_DOUBT", "ITERATION", "ROLE", "SEQ", "TASK_ID",
                    "TOOL_CALL_ID", "TOOL_CALLS", "TOOL_NAME"),
            "AGENT_MODEL_CALL", Set.of("ID", "COMPLETION_TOKENS", "CREATED_AT", "ITERATION", "JOB_EXECUTION_ID", "LATENCY_MS",
                    "MODEL", "PROMPT_TOKENS", "RESPONSE", "TASK_ID"),
            "AGENT_TOOL_LEDGER", Set.of("ID", "ARGUMENTS", "ATTEMPTS", "ENDED_AT", "ERROR", "IDEMPOTENCY_KEY", "IN_DOUBT",
                    "ITERATION", "JOB_EXECUTION_ID", "RESULT", "STARTED_AT", "STATE", "TASK_ID", "TOOL_CALL_ID", "TOOL_NAME"));

    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;
    @PersistenceUnit(unitName = "agent-batch")
    EntityManagerFactory entityManagerFactory;

    void migrate(@Observes @Priority(1) @Initialized(ApplicationScoped.class) Object event) {
        Vendor vendor;
        boolean legacy;
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            vendor = Vendor.of(meta.getDatabaseProductName());
            legacy = !exists(meta, vendor, vendor.historyTable) && exists(meta, vendor, "AGENT_TASK");
            if (legacy) {
                checkV1(meta, vendor);
            }
            if (vendor == Vendor.H2) {
                noStaleResults(c, meta);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's schema before migrating it", e);
        }
        MigrateResult result = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .table(vendor.historyTable)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor.folder)
                .failOnMissingLocations(true)
                .baselineOnMigrate(true)
                .baselineVersion(legacy ? "1" : "0")
                .baselineDescription(legacy ? "agent-batch 0.1.0 schema (hbm2ddl), checked against V1" : "JBeret made its tables at boot")
                .load()
                .migrate();
        LOG.info(() -> "schema of " + vendor.folder + " at version " + result.targetSchemaVersion + " ("
                + result.migrationsExecuted + " migration(s) applied" + (legacy ? ", baselined a 0.1.0 database at 1" : "")
                + "; history in " + vendor.historyTable + ")");
        entityManagerFactory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    /**
     * H2 2.2 may answer a re-run query with the result it cached while another session was committing, missing that
     * commit until the table changes again (fixed in H2 2.3). The URL of configure-server.cli turns that cache off on
     * every connection; it is turned off here too, for an H2 URL of one's own (AGENT_BATCH_DB_URL) without the option,
     * which also gets a warning: this lasts only until the database closes.
     */
    private static void noStaleResults(Connection c, DatabaseMetaData meta) throws SQLException {
        String version = meta.getDatabaseProductVersion();
        if (!version.startsWith("2.2.")) {
            return;
        }
        String turnedOff;
        try (Statement s = c.createStatement()) {
            s.execute("SET OPTIMIZE_REUSE_RESULTS 0");
            turnedOff = "Turned off until the database closes";
        } catch (SQLException notAdmin) {
            turnedOff = "Could not turn it off (" + notAdmin.getMessage() + ")";
        }
        String url = System.getenv("AGENT_BATCH_DB_URL");
        if (url != null && !url.toUpperCase(Locale.ROOT).replace(" ", "").contains(";OPTIMIZE_REUSE_RESULTS=0")) {
            String done = turnedOff;
            LOG.warning(() -> "AGENT_BATCH_DB_URL is an H2 " + version + " URL without ;OPTIMIZE_REUSE_RESULTS=0: H2's"
                    + " result cache can serve a read that misses a commit made meanwhile. " + done + "; add the option"
                    + " to the URL.");
        }
    }

    /** A 0.1.0 database is baselined only when it has every column V1 declares: otherwise it is not what we think. */
    private static void checkV1(DatabaseMetaData meta, Vendor vendor) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (var table : V1_COLUMNS.entrySet()) {
            Set<String> found = new TreeSet<>();
            try (ResultSet rs = meta.getColumns(null, null, vendor.name(table.getKey()), null)) {
                while (rs.next()) {
                    found.add(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
                }
            }
            table.getValue().stream().filter(c -> !found.contains(c)).sorted().forEach(c -> missing.add(table.getKey() + "." + c));
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the database has agent-batch tables but no schema history, and they are not"
                    + " the 0.1.0 schema (V1) that can be baselined: missing " + missing + ". Restore a backup, or point"
                    + " AGENT_BATCH_DB_URL at an empty database.");
        }
    }

    private static boolean exists(DatabaseMetaData meta, Vendor vendor, String table) throws SQLException {
        try (ResultSet rs = meta.getTables(null, null, vendor.name(table), new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    /** The database, as it spells unquoted names and where its own migrations live. */
    enum Vendor {
        H2("h2", "AGENT_SCHEMA_HISTORY", false),
        POSTGRESQL("postgresql", "agent_schema_history", true);

        final String folder;
        final String historyTable;
        final boolean lowerCase;

        Vendor(String folder, String historyTable, boolean lowerCase) {
            this.folder = folder;
            this.historyTable = historyTable;
            this.lowerCase = lowerCase;
        }

        static Vendor of(String productName) {
            String name = productName.toLowerCase(Locale.ROOT);
            if (name.contains("postgres")) {
                return POSTGRESQL;
            }
            if (name.contains("h2")) {
                return H2;
            }
            throw new IllegalStateException("agent-batch runs on H2 or PostgreSQL, not on " + productName);
        }

        String name(String table) {
            return lowerCase ? table.toLowerCase(Locale.ROOT) : table.toUpperCase(Locale.ROOT);
        }
    }
}
