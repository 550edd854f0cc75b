package dev.agentbatch.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live H2 database of the server under test, read as a batch operator reads it: a second process over
 * H2's AUTO_SERVER mode, while WildFly runs.
 */
public final class JobRepository {

    private JobRepository() {
    }

    public static String url(String serverHome) {
        return "jdbc:h2:file:" + serverHome + "/standalone/data/agent-batch/agent-batch;AUTO_SERVER=TRUE";
    }

    /** Against the Arquillian-managed server. */
    public static List<Map<String, Object>> query(String sql, Object... args) {
        return queryAt(System.getProperty("it.server.dir"), sql, args);
    }

    /**
     * The users the server made for its H2 file at first boot (data/agent-batch/database.properties): the reader
     * for queries, the owner for the few tests that must change a row behind the server's back.
     */
    static java.util.Properties credentials(String serverHome) {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(serverHome,
                "standalone/data/agent-batch/database.properties"))) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no database credentials under " + serverHome + " (has the server booted?)", e);
        }
        return p;
    }

    /** The owner's connection (it may write), for a test that changes a row as no API would. */
    public static Connection ownerConnection(String serverHome) throws SQLException {
        java.util.Properties p = credentials(serverHome);
        return DriverManager.getConnection(url(serverHome), p.getProperty("user"), p.getProperty("password"));
    }

    public static List<Map<String, Object>> queryAt(String serverHome, String sql, Object... args) {
        java.util.Properties p = credentials(serverHome);
        try (Connection c = DriverManager.getConnection(url(serverHome), p.getProperty("reader.user"), p.getProperty("reader.password"));
             PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i).toUpperCase(), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }
}
