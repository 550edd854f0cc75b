package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard before any signal: a pid is this server's only if its command line names this server's home. */
class ServerPidTest {

    @TempDir
    Path home;

    private Path serverDir() throws IOException {
        Path dir = home.resolve("target/server");
        Files.createDirectories(dir.resolve("standalone/data"));
        return dir;
    }

    /** A process whose command line carries {@code -Djboss.home.dir=dir}, as WildFly's java does. */
    private static Process impostor(Path dir) throws IOException {
        return new ProcessBuilder("bash", "-c", "sleep 60; true", "-Djboss.home.dir=" + dir).start();
    }

    @Test
    void aProcessIsThisServerOnlyWithThisHomeDir() throws Exception {
        Path dir = serverDir();
        Process server = impostor(dir);
        Process other = impostor(home.resolve("elsewhere"));
        try {
            ServerPid pid = new ServerPid(dir);
            assertTrue(pid.isThisServer(server.pid()));
            assertFalse(pid.isThisServer(other.pid()), "another server's home");
            assertFalse(pid.isThisServer(ProcessHandle.current().pid()), "this JVM");
            Files.writeString(pid.file(), server.pid() + "\n");
            assertEquals(server.pid(), pid.running().getAsLong());

            assertTrue(pid.terminate(server.pid(), () -> { }), "SIGTERM ends it");
            assertTrue(server.waitFor(5, TimeUnit.SECONDS));
            assertTrue(pid.terminate(other.pid(), () -> { }), "nothing to do for a process that is not this server");
            assertTrue(other.isAlive(), "and it was not signalled");
        } finally {
            server.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void aPidFileThatNamesAnotherProcessIsIgnored() throws IOException {
        ServerPid pid = new ServerPid(serverDir());
        assertTrue(pid.running().isEmpty(), "no file");
        Files.writeString(pid.file(), "not a pid\n");
        assertTrue(pid.running().isEmpty());
        Files.writeString(pid.file(), ProcessHandle.current().pid() + "\n");
        assertTrue(pid.running().isEmpty(), "a live pid that is not WildFly");
        pid.forget();
        assertTrue(Files.notExists(pid.file()));
    }

    @Test
    void stopNeverSignalsAProcessThatIsNotThisServer() throws IOException {
        Path dir = serverDir();
        Files.writeString(new ServerPid(dir).file(), ProcessHandle.current().pid() + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AgentBatchCli.run(new String[] {"server", "stop"}, Map.of("AGENT_BATCH_HOME", home.toString(),
                "AGENT_BATCH_PORT_OFFSET", "1357"), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("server is not running"), out.toString());
    }

    @Test
    void readsHowTheLastBootEnded() throws IOException {
        Path log = home.resolve("console.log");
        assertNull(ServerLog.bootOutcome(log, 0), "no log yet");
        Files.writeString(log, "WFLYSRV0049: starting\nWFLYSRV0026: started (with errors)\nWFLYSRV0049: starting\n");
        assertNull(ServerLog.bootOutcome(log, 0), "the second boot is still under way");
        Files.writeString(log, "WFLYSRV0025: started in 9 s\n", StandardOpenOption.APPEND);
        assertEquals("started", ServerLog.bootOutcome(log, 0));
        long size = ServerLog.size(log);
        assertNull(ServerLog.bootOutcome(log, size), "nothing logged after the offset");
        Files.writeString(log, "WFLYSRV0049\nWFLYSRV0026: started (with errors)\n", StandardOpenOption.APPEND);
        assertEquals("started with errors", ServerLog.bootOutcome(log, size));
    }
}
