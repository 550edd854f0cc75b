package dev.agentbatch.it;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The crash tests on the embedded default, the H2 file (target/crash-server). */
class CrashRecoveryH2IT extends CrashRecoveryIT {

    @BeforeAll
    static void boot() {
        server = crashServer("crash-server", 300);
        server.start();
        api = server.api();
    }

    @AfterAll
    static void shutdown() {
        server.close();
    }

    @Override
    List<Map<String, Object>> query(String sql, Object... args) {
        return JobRepository.queryAt(server.home().toString(), sql, args);
    }
}
