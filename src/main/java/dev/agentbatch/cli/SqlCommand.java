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
 * H2's AUTO_SERVER mode (the launcher puts the server's own H2 driver on the class path; only java.sql is used
 * here). Read-only unless {@code --write}: anything but SELECT / WITH / VALUES / TABLE / SHOW / EXPLAIN /
 * CALL is refused, and the connection is opened read-only.
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
        try (Connection c = DriverManager.getConnection(url(), "sa", "sa"); Statement s = c.createStatement()) {
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
            throw new CliException(missing ? ExitCodes.UNREACHABLE : ExitCodes.USAGE, "SQL failed: " + e.getMessage());
        }
    }

    static boolean isReadOnly(String sql) {
        String first = sql.stripLeading().split("[\\s(]+", 2)[0].toLowerCase(Locale.ROOT);
        return READ_ONLY.contains(first) && !sql.contains(";");
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
