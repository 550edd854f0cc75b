package dev.agentbatch.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;

/** Which database AgentBatchDS is (chosen at boot by AGENT_BATCH_DB_URL), for the few statements that differ. */
@ApplicationScoped
public class Database {

    @Resource(lookup = "java:jboss/datasources/AgentBatchDS")
    DataSource dataSource;

    private volatile Boolean postgres;

    public boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            try (Connection c = dataSource.getConnection()) {
                known = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot tell which database AgentBatchDS is", e);
            }
            postgres = known;
        }
        return known;
    }
}
