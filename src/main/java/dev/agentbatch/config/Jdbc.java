package dev.agentbatch.config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

/**
 * Null-safe parameter binding and reading for the few hot-path statements written in plain JDBC (an iteration's
 * transcript rows, the model journal, the tool ledger): the same values Hibernate binds for the mapped entities, so that
 * either side reads what the other wrote. Timestamps go as UTC {@link OffsetDateTime}, which H2 and PostgreSQL both take for
 * {@code TIMESTAMP WITH TIME ZONE}.
 */
public final class Jdbc {

    private Jdbc() {
    }

    public static void setString(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }

    public static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }

    public static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    public static void setBoolean(PreparedStatement s, int index, Boolean value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BOOLEAN);
        } else {
            s.setBoolean(index, value);
        }
    }

    public static void setInstant(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    public static Instant getInstant(ResultSet r, String column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public static Long getLong(ResultSet r, String column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? null : value;
    }

    /** Work on one connection that may throw what JDBC throws. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in a database transaction of its own, on a connection taken from {@code dataSource} while no JTA
     * transaction is active (the caller is {@code NOT_SUPPORTED}, so the connection is not enlisted in one): committed
     * when it returns, rolled back when it throws, and handed back to the pool in the mode it came in.
     */
    public static <T> T inOwnTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
            try {
                return committed(c, work);
            } finally {
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    /**
     * Runs one statement's {@code work} committed on its own, on a connection taken from {@code dataSource} while no JTA
     * transaction is active (the caller is {@code NOT_SUPPORTED}): the pool hands such a connection out in auto-commit,
     * which commits the statement without another round trip; a connection that is not is committed (or rolled back)
     * here.
     */
    public static <T> T autoCommitted(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getAutoCommit() ? work.run(c) : committed(c, work);
        }
    }

    /** Runs {@code work} on a connection not in auto-commit: commits when it returns, rolls back when it throws. */
    private static <T> T committed(Connection c, Work<T> work) throws SQLException {
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }
}
