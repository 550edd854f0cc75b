package dev.agentbatch.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The users of the integration tests, in WildFly's own realm files (src/test/resources/it-users, in add-user.sh's
 * format), appended to each server under test: the Arquillian server's by the build (pom.xml, prepare-it-server), the
 * process-level servers' by {@link ServerProcess}. Each password is the user name followed by "-pw", but for the
 * management user it-mgmt (it-mgmt-pw) whose application user of the same name has it-mgmt-app-pw.
 */
public final class TestUsers {

    /** All four roles: what most tests act as. */
    public static final String ADMIN = "it-admin";
    public static final String VIEWER = "it-viewer";
    public static final String SUBMITTER = "it-submitter";
    public static final String SUBMITTER2 = "it-submitter2";
    public static final String OPERATOR = "it-operator";
    public static final String APPROVER = "it-approver";
    /** Authenticated, with no agent role. */
    public static final String NO_ROLE = "it-norole";
    /** A management user (jboss-cli); its application user of the same name is only a viewer. */
    public static final String MANAGEMENT = "it-mgmt";

    private TestUsers() {
    }

    public static String password(String user) {
        return user + "-pw";
    }

    /** Appends the test users to a server's realm files. */
    public static void install(Path serverHome) {
        Path configuration = serverHome.resolve("standalone/configuration");
        for (String file : new String[] {"application-users.properties", "application-roles.properties", "mgmt-users.properties"}) {
            try (InputStream in = TestUsers.class.getResourceAsStream("/it-users/" + file)) {
                Files.write(configuration.resolve(file), in.readAllBytes(), StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot add the test users to " + configuration, e);
            }
        }
    }
}
