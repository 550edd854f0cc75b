package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessesTest {

    @TempDir
    Path home;

    private ServerProcesses processes() throws IOException {
        ServerProcesses processes = new ServerProcesses(home);
        Files.createDirectories(processes.consoleLog().getParent());
        return processes;
    }

    @Test
    void readsHowTheLastBootEnded() throws IOException {
        ServerProcesses p = processes();
        assertNull(p.bootOutcome(0), "no log yet");
        Files.writeString(p.consoleLog(), "WFLYSRV0049: starting\nWFLYSRV0026: started (with errors)\n"
                + "WFLYSRV0049: starting\n");
        assertNull(p.bootOutcome(0), "the second boot is still under way");
        Files.writeString(p.consoleLog(), "WFLYSRV0025: started in 9 s\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("started", p.bootOutcome(0));
        long size = p.consoleLogSize();
        assertNull(p.bootOutcome(size), "nothing logged after the offset");
        Files.writeString(p.consoleLog(), "WFLYSRV0049\nWFLYSRV0026: started (with errors)\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals("started with errors", p.bootOutcome(size));
    }

    @Test
    void findsNothingWhenNoServerRunsHere() throws IOException {
        ServerProcesses p = processes();
        Files.writeString(p.pidFile(), "not a pid\n");
        assertTrue(p.recorded().isEmpty());
        assertTrue(p.find().isEmpty());
        p.forgetPid();
        assertTrue(Files.notExists(p.pidFile()));
    }
}
