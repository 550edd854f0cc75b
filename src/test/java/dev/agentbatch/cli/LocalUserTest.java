package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local user is written as WildFly's add-user.sh writes it, and its password only to a file of mode 600. */
class LocalUserTest {

    @TempDir
    Path home;

    @Test
    void hashesAsAddUserDoes() {
        // from: add-user.sh -a -u agent-batch-local -p S3cret-pw_xyz (WildFly 39.0.1), application-users.properties
        assertEquals("29852c6d47d7feab57cdd981cfb4e18d", LocalUser.hash("agent-batch-local", "ApplicationRealm",
                "S3cret-pw_xyz"));
    }

    @Test
    void createsTheUserOnceWithAllRolesAndAPrivateCredentialsFile() throws IOException {
        Path server = home.resolve("target/server");
        Path config = server.resolve("standalone/configuration");
        Files.createDirectories(config);
        Files.writeString(config.resolve("application-users.properties"),
                "#$REALM_NAME=ApplicationRealm$ This line is used by the add-user utility\n#admin=2a09\n"
                        + "agent-batch-local=stale\n");
        Files.writeString(config.resolve("application-roles.properties"), "#admin=PowerUser,BillingAdmin,\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertTrue(LocalUser.ensure(server, home, new PrintStream(err, true, StandardCharsets.UTF_8)));

        Path file = LocalUser.credentialsFile(server);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Credentials credentials = Credentials.read(file, home);
        assertEquals("agent-batch-local", credentials.user());
        assertEquals(32, credentials.password().length());
        assertEquals("target/server/standalone/configuration/agent-batch-cli.properties", credentials.source());
        java.util.Properties saved = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            saved.load(reader);
        }
        String approverPassword = saved.getProperty("approver.password");
        assertEquals("agent-batch-approver", saved.getProperty("approver.user"));
        assertEquals(32, approverPassword.length());
        List<String> users = Files.readAllLines(config.resolve("application-users.properties"));
        assertEquals(List.of("#$REALM_NAME=ApplicationRealm$ This line is used by the add-user utility", "#admin=2a09",
                "agent-batch-local=" + LocalUser.hash("agent-batch-local", "ApplicationRealm", credentials.password()),
                "agent-batch-approver=" + LocalUser.hash("agent-batch-approver", "ApplicationRealm", approverPassword)),
                users, "the stale entry replaced, comments kept");
        assertEquals(List.of("#admin=PowerUser,BillingAdmin,",
                "agent-batch-local=agent-viewer,agent-submitter,agent-operator,agent-approver",
                "agent-batch-approver=agent-viewer,agent-approver"),
                Files.readAllLines(config.resolve("application-roles.properties")));
        assertFalse(err.toString(StandardCharsets.UTF_8).contains(approverPassword));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("agent-batch: created the local user "
                + "agent-batch-local"), err.toString());
        assertFalse(err.toString(StandardCharsets.UTF_8).contains(credentials.password()),
                "the password is never shown");
        assertFalse(credentials.toString().contains(credentials.password()));

        assertFalse(LocalUser.ensure(server, home, new PrintStream(err, true, StandardCharsets.UTF_8)), "only once");
        assertEquals(credentials.password(), Credentials.read(file, home).password());
    }

    @Test
    void withoutAProvisionedServerThereIsNothingToCreate() {
        assertFalse(LocalUser.ensure(home.resolve("target/server"), home, System.err));
    }
}
