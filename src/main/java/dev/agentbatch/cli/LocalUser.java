package dev.agentbatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The one user of the server this client starts in {@code target/server}: created with all four roles and a random
 * password the first time {@code demo} or {@code server start} starts it, so the quick start needs no manual step.
 *
 * <p>WildFly's {@code add-user.sh -a -u U -p P -g R} would put the password in the process list, and without
 * {@code -p} it asks on a terminal. So this writes the two lines add-user.sh writes, in its format (checked
 * against add-user.sh of WildFly 39): {@code U=HEX(MD5(U:ApplicationRealm:P))} in application-users.properties and
 * {@code U=R1,R2} in application-roles.properties. The password goes only to {@link #credentialsFile}, mode 600.
 * The server reads the realm files at boot, which is why this runs before it starts.
 */
final class LocalUser {

    static final String NAME = "agent-batch-local";
    static final List<String> ROLES = List.of("agent-viewer", "agent-submitter", "agent-operator", "agent-approver");
    static final String REALM = "ApplicationRealm";
    /** A second local user who may only read and approve: the four-eyes rule forbids approving one's own task. */
    static final String APPROVER = "agent-batch-approver";
    static final List<String> APPROVER_ROLES = List.of("agent-viewer", "agent-approver");

    private LocalUser() {
    }

    static Path credentialsFile(Path serverDir) {
        return serverDir.resolve("standalone/configuration/agent-batch-cli.properties");
    }

    /**
     * Creates the user unless its credentials file exists. A user left in the realm files without its credentials
     * file (an interrupted first start) gets a new password.
     *
     * @return whether it created the user
     */
    static boolean ensure(Path serverDir, Path home, PrintStream err) {
        Path file = credentialsFile(serverDir);
        Path config = file.getParent();
        if (Files.exists(file) || !Files.isDirectory(config)) {
            return false;
        }
        String password = randomPassword();
        String approverPassword = randomPassword();
        try {
            replaceEntry(config.resolve("application-users.properties"), NAME + "=" + hash(NAME, REALM, password));
            replaceEntry(config.resolve("application-roles.properties"), NAME + "=" + String.join(",", ROLES));
            replaceEntry(config.resolve("application-users.properties"), APPROVER + "=" + hash(APPROVER, REALM, approverPassword));
            replaceEntry(config.resolve("application-roles.properties"), APPROVER + "=" + String.join(",", APPROVER_ROLES));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, "# the local users of bin/agent-batch (created by demo / server start)\n"
                    + "user=" + NAME + "\npassword=" + password + "\n"
                    + "# a second user who may approve the first one's gated tool calls (four eyes; demo --approval)\n"
                    + "approver.user=" + APPROVER + "\napprover.password=" + approverPassword + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException raced) {
            return false; // another client created it first: its password is the one in the file
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot create the local user in " + config + ": " + e, e);
        }
        Path shown = file.startsWith(home) ? home.relativize(file) : file;
        err.println("agent-batch: created the local user " + NAME + " (" + String.join(", ", ROLES) + ") and "
                + APPROVER + " (" + String.join(", ", APPROVER_ROLES) + "); their passwords are in " + shown
                + " (mode 600), which this client uses for the local server");
        return true;
    }

    /** The realm's digest: lower-case hex of MD5("user:realm:password"), as add-user.sh and Elytron compute it. */
    static String hash(String user, String realm, String password) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((user + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** Keeps every other line (comments included) and puts {@code entry} last, as add-user.sh appends it. */
    static void replaceEntry(Path properties, String entry) throws IOException {
        String key = entry.substring(0, entry.indexOf('=') + 1);
        List<String> lines = new ArrayList<>();
        if (Files.exists(properties)) {
            Files.readAllLines(properties, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith(key))
                    .forEach(lines::add);
        }
        lines.add(entry);
        Files.write(properties, lines, StandardCharsets.UTF_8);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
