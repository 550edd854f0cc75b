package dev.agentbatch.it;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The crash tests on the embedded default, the H2 file (target/crash-server). */
@ResourceLock("ports+300")
class CrashRecoveryH2IT extends CrashRecoveryIT {

    @BeforeAll
    void boot() {
        server = crashServer("crash-server", 300);
        server.start();
        api = server.api();
    }

    @AfterAll
    void shutdown() {
        server.close();
    }

    @Override
    List<Map<String, Object>> query(String sql, Object... args) {
        return JobRepository.queryAt(server.home().toString(), sql, args);
    }
}
