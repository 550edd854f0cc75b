package dev.agentbatch.task;

import java.sql.SQLException;

/** Recognises a unique-constraint violation (SQLSTATE 23505 on H2 and PostgreSQL) anywhere in a cause chain. */
public final class UniqueViolation {

    private UniqueViolation() {
    }

    public static boolean isCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
            if (t.getClass().getName().endsWith("ConstraintViolationException")) {
                return true;
            }
        }
        return false;
    }
}
