package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** WildFly's own jboss-cli, as an admin runs it against a server (local authentication, no user needed). */
public final class JbossCli {

    private JbossCli() {
    }

    /** Against the Arquillian-managed server. */
    public static String run(String command) throws IOException, InterruptedException {
        return run(Path.of(System.getProperty("it.server.dir")), Integer.getInteger("it.management.port"), command);
    }

    /** Runs one command; fails the test when jboss-cli exits non-zero. */
    public static String run(Path serverHome, int managementPort, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(serverHome.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + managementPort, "--command=" + command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
