package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExitCodesTest {

    @Test
    void mapsStatesToTheDocumentedCodes() {
        assertEquals(0, ExitCodes.forState("COMPLETED"));
        assertEquals(1, ExitCodes.forState("FAILED"));
        assertEquals(2, ExitCodes.forState("STOPPED"));
        assertEquals(0, ExitCodes.forState("PENDING"));
        assertEquals(0, ExitCodes.forState("RUNNING"));
        assertEquals(1, ExitCodes.forState("failed"));
        assertEquals(0, ExitCodes.forState(null));
    }

    @Test
    void theCodesAreStable() {
        assertEquals(3, ExitCodes.USAGE);
        assertEquals(4, ExitCodes.UNREACHABLE);
        assertEquals(5, ExitCodes.TIMEOUT);
    }

    @Test
    void onlyEndStatesAreTerminal() {
        assertTrue(ExitCodes.isTerminal("COMPLETED"));
        assertTrue(ExitCodes.isTerminal("FAILED"));
        assertTrue(ExitCodes.isTerminal("STOPPED"));
        assertFalse(ExitCodes.isTerminal("PENDING"));
        assertFalse(ExitCodes.isTerminal("RUNNING"));
        assertFalse(ExitCodes.isTerminal("STOPPING"));
        assertFalse(ExitCodes.isTerminal(null));
    }

    @Test
    void helpDocumentsEveryCode() {
        String help = AgentBatchCli.commandLine(new Context(java.util.Map.of(), System.out, System.err, false))
                .getUsageMessage();
        for (String line : new String[] {"  0  COMPLETED", "  1  the task FAILED", "  2  the task was STOPPED",
            "  3  bad usage", "  4  server unreachable", "  5  --wait timed out"}) {
            assertTrue(help.contains(line), "help lacks: " + line);
        }
    }
}
