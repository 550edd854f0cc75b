package dev.agentbatch.config;

/** Column sizes shared by the entities. */
public final class Columns {

    /**
     * Long text as a plain VARCHAR (not a LOB): portable between H2 and PostgreSQL, readable in any SQL shell,
     * and without LOB streaming on every transcript read. Within H2's 1,048,576-character limit.
     */
    public static final int TEXT = 1_000_000;

    private Columns() {
    }
}
