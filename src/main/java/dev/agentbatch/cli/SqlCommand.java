package dev.agentbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sql "SELECT …" [--write]}: queries the live database while WildFly runs, as a second process through
 * H2's AUTO_SERVER mode (the launcher puts the server's own H2 driver on the class path, and the PostgreSQL driver;
 * only java.sql is used here). Read-only unless {@code --write}, and read-only by the database's own rights, not by a
 * keyword check alone: it connects as a user that may only read (H2: AGENT_BATCH_READER, whose password the server made
 * at first boot in data/agent-batch/database.properties; PostgreSQL: AGENT_BATCH_DB_READER_USER/_PASSWORD). Writing
 * needs {@code --write} and the owner's credentials.
 */
@Command(name = "sql", mixinStandardHelpOptions = true, description = {"query the live database (job repository + "
    + "agent tables, views AGENT_TASK_RUN and AGENT_TOOL_CALL) while the server runs; read-only unless --write; "
    + "AGENT_BATCH_DB_URL points at another database"})
final class SqlCommand implements Callable<Integer> {

    static final List<String> READ_ONLY = List.of("select", "with", "values", "table", "show", "explain", "call");
    private static final int MAX_WIDTH = 60;

    @ParentCommand
    AgentBatchCli root;

    @Parameters(arity = "1..*", paramLabel = "SQL", description = "the statement (several words are joined)")
    List<String> words;

    @Option(names = "--write", description = "allow statements that change data")
    boolean write;

    private Context ctx;

    @Override
    public Integer call() {
        ctx = root.ctx();
        String sql = String.join(" ", words).trim().replaceAll(";\\s*$", "");
        if (!write && !isReadOnly(sql)) {
            throw CliException.usage("only queries run without --write (SELECT, WITH, VALUES, SHOW, EXPLAIN); got: "
                    + sql.split("\\s+")[0]);
        }
        String url = url();
        String[] login = login(url);
        try (Connection c = DriverManager.getConnection(url, login[0], login[1]); Statement s = c.createStatement()) {
            c.setReadOnly(!write);
            if (s.execute(sql)) {
                try (ResultSet rs = s.getResultSet()) {
                    print(rs);
                }
            } else {
                ctx.out().println(s.getUpdateCount() + " row(s) changed");
            }
            return ExitCodes.OK;
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("No suitable driver")) {
                throw new CliException(ExitCodes.UNREACHABLE, "no H2 driver on the class path: run this through bin/agent-batch");
            }
            boolean missing = e.getSQLState() != null && e.getSQLState().startsWith("08") || "90146".equals(e.getSQLState());
            boolean refused = "90096".equals(e.getSQLState()) || "90040".equals(e.getSQLState()) || "42501".equals(e.getSQLState());
            throw new CliException(missing ? ExitCodes.UNREACHABLE : ExitCodes.USAGE, (refused
                    ? "refused: " + login[0] + " may only read" + (write ? "" : " (changing data needs --write)") + "; "
                    : "SQL failed: ") + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    static boolean isReadOnly(String sql) {
        String first = sql.stripLeading().split("[\\s(]+", 2)[0].toLowerCase(Locale.ROOT);
        return READ_ONLY.contains(first) && !sql.contains(";");
    }

    /**
     * Who connects: the read-only user, or with {@code --write} the owner. From the environment
     * (AGENT_BATCH_DB_READER_USER/_PASSWORD, AGENT_BATCH_DB_USER/_PASSWORD), else, for an H2 file, from the
     * database.properties the server keeps next to it (readable by its OS user only).
     */
    String[] login(String url) {
        String userVar = write ? "AGENT_BATCH_DB_USER" : "AGENT_BATCH_DB_READER_USER";
        String passwordVar = write ? "AGENT_BATCH_DB_PASSWORD" : "AGENT_BATCH_DB_READER_PASSWORD";
        if (ctx.env(userVar) != null) {
            return new String[] {ctx.env(userVar), ctx.env(passwordVar) == null ? "" : ctx.env(passwordVar)};
        }
        if (url.startsWith("jdbc:h2:file:")) {
            String file = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
            Path properties = Path.of(file).resolveSibling("database.properties");
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newInputStream(properties)) {
                p.load(in);
            } catch (java.io.IOException e) {
                throw CliException.usage("cannot read the database's users from " + properties + " (" + e.getMessage()
                        + "); set " + userVar + " and " + passwordVar);
            }
            return write ? new String[] {p.getProperty("user"), p.getProperty("password")}
                    : new String[] {p.getProperty("reader.user"), p.getProperty("reader.password")};
        }
        throw CliException.usage("set " + userVar + " and " + passwordVar + " to query " + url
                + (write ? "" : " (a user that may only read, e.g. a PostgreSQL role with SELECT only)"));
    }

    /** AGENT_BATCH_DB_URL, else the H2 file of the server in target/server. */
    String url() {
        String url = ctx.env("AGENT_BATCH_DB_URL");
        if (url != null) {
            return url;
        }
        Path file = ctx.home().resolve("target/server/standalone/data/agent-batch/agent-batch.mv.db");
        if (!Files.exists(file)) {
            throw new CliException(ExitCodes.UNREACHABLE, "no database at " + file
                    + " (start the server once, or set AGENT_BATCH_DB_URL)");
        }
        String base = file.toString().substring(0, file.toString().length() - ".mv.db".length());
        return "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE";
    }

    private void print(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[n];
        int[] width = new int[n];
        for (int i = 0; i < n; i++) {
            header[i] = meta.getColumnLabel(i + 1);
            width[i] = header[i].length();
        }
        while (rs.next()) {
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                String v = rs.getString(i + 1);
                v = v == null ? "NULL" : v.replaceAll("\\s+", " ");
                row[i] = v.length() > MAX_WIDTH ? v.substring(0, MAX_WIDTH - 1) + "…" : v;
                width[i] = Math.max(width[i], row[i].length());
            }
            rows.add(row);
        }
        line(header, width);
        String[] rule = new String[n];
        for (int i = 0; i < n; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(rule, width);
        rows.forEach(r -> line(r, width));
        ctx.out().println("(" + rows.size() + " row" + (rows.size() == 1 ? ")" : "s)"));
    }

    private void line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            b.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
        }
        ctx.out().println(b.toString().stripTrailing());
    }
}
