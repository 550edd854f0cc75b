package dev.agentbatch.it;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The crash tests on PostgreSQL, on a database of this test's own (target/crash-pg-server). */
@ResourceLock("ports+330")
class CrashRecoveryPostgresIT extends CrashRecoveryIT {

    private Postgres db;

    @BeforeAll
    void boot() {
        db = Postgres.create("agentbatch_crash");
        server = crashServer("crash-pg-server", 330);
        db.serverEnvironment().forEach(server::withEnv);
        server.start();
        api = server.api();
    }

    @AfterAll
    void shutdown() {
        server.close();
        db.close();
    }

    @Override
    List<Map<String, Object>> query(String sql, Object... args) {
        return db.query(sql, args);
    }
}
