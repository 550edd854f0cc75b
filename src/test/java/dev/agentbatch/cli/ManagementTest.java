package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code jboss-cli.sh --output-json} prints, read back; and no answer without a jboss-cli to ask. */
class ManagementTest {

    @Test
    void readsOneResultPerOperation() throws IOException {
        // as WildFly 39's jboss-cli printed it for the three operations of Management.identify()
        List<JsonNode> results = Management.results("""
                {
                    "outcome" : "success",
                    "result" : "/work/wt/cli/target/server"
                }
                {
                    "outcome" : "success",
                    "result" : "15889@vm"
                }
                {
                    "outcome" : "success",
                    "result" : "running"
                }
                """);
        assertEquals(List.of("/work/wt/cli/target/server", "15889@vm", "running"),
                results.stream().map(r -> Json.text(r.path("result"))).toList());
    }

    @Test
    void aControllerThatIsNotThereGivesNoResult() throws IOException {
        assertTrue(Management.results("Failed to connect to the controller: The controller is not available at "
                + "127.0.0.1:11291: java.net.ConnectException: WFLYPRT0053: Could not connect").isEmpty());
    }

    @Test
    void withoutJbossCliNothingAnswers(@TempDir Path serverDir) {
        Management management = new Management(serverDir, 11290);
        assertTrue(management.identify().isEmpty());
        assertTrue(!management.shutdown(30));
        assertEquals("127.0.0.1:11290", management.controller());
    }
}
