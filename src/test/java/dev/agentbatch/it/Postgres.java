package dev.agentbatch.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL database of the test's own on the machine's server (127.0.0.1:5432, trust authentication, user
 * postgres): created with a unique name, dropped when the test is done.
 */
public final class Postgres implements AutoCloseable {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:" + Integer.getInteger("it.postgres.port", 5432) + "/";
    private static final String USER = "postgres";

    private final String name;

    private Postgres(String name) {
        this.name = name;
    }

    public static Postgres create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + SERVER
                    + " (is PostgreSQL running? pg_isready -h 127.0.0.1)", e);
        }
        return new Postgres(name);
    }

    public String url() {
        return SERVER + name;
    }

    public String user() {
        return USER;
    }

    /**
     * The environment that points a server at this database (see configure-server.cli). The server trusts local
     * connections and ignores the password, but a datasource needs one.
     */
    public Map<String, String> serverEnvironment() {
        return Map.of("AGENT_BATCH_DB_URL", url(), "AGENT_BATCH_DB_USER", USER, "AGENT_BATCH_DB_PASSWORD", "trust");
    }

    public List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url(), USER, "");
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

    public long count(String sql, Object... args) {
        return ((Number) query(sql, args).get(0).values().iterator().next()).longValue();
    }

    @Override
    public void close() {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name, e);
        }
    }
}
