package dev.agentbatch.loop;

import java.sql.SQLException;

/**
 * Recognises a failure that says the database is unreachable (restarting, failing over, the network to it cut), as
 * opposed to one that says something is wrong with the data: SQLSTATE class 08 (connection exception) and 57P0x
 * (the server is shutting down or starting up), the pool finding no connection, or a connection closed under us.
 * Such a failure ends the execution with DATABASE_UNAVAILABLE and the task is resumed when the database is back;
 * it never fails the task. Pure.
 */
public final class DatabaseFailures {

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            String type = t.getClass().getName();
            if (type.equals("org.hibernate.exception.JDBCConnectionException")
                    || type.equals("jakarta.resource.ResourceException") && String.valueOf(t.getMessage()).contains("IJ000453")) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("This connection has been closed") || message.contains("IJ000453")
                    || message.contains("Unable to acquire JDBC Connection")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
