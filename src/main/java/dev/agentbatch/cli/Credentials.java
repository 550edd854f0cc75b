package dev.agentbatch.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;

/**
 * Who the client says it is (HTTP BASIC). From {@code AGENT_BATCH_USER} / {@code AGENT_BATCH_PASSWORD}, or, when
 * it talks to the server it manages in {@code target/server}, from the file {@link LocalUser} wrote there, so
 * the two-command quick start needs no manual step. Never printed: {@link #toString()} names the user only.
 *
 * @param source where the credentials came from, for error messages
 */
record Credentials(String user, String password, String source) {

    static Optional<Credentials> resolve(Context ctx) {
        String user = ctx.env("AGENT_BATCH_USER");
        String password = ctx.env().get("AGENT_BATCH_PASSWORD");
        boolean hasPassword = password != null && !password.isEmpty();
        if (user != null && !hasPassword) {
            throw CliException.usage("AGENT_BATCH_USER is set but AGENT_BATCH_PASSWORD is not");
        }
        if (user == null && hasPassword) {
            throw CliException.usage("AGENT_BATCH_PASSWORD is set but AGENT_BATCH_USER is not");
        }
        if (user != null) {
            return Optional.of(new Credentials(user, password, "AGENT_BATCH_USER"));
        }
        Path file = LocalUser.credentialsFile(ctx.serverDir());
        if (ctx.talksToLocalServer() && Files.isRegularFile(file)) {
            return Optional.of(read(file, ctx.home()));
        }
        return Optional.empty();
    }

    static Credentials read(Path file, Path home) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the credentials in " + file + ": " + e.getMessage(),
                    e);
        }
        String user = properties.getProperty("user");
        String password = properties.getProperty("password");
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw CliException.usage(file + " needs the keys user and password");
        }
        Path shown = file.startsWith(home) ? home.relativize(file) : file;
        return new Credentials(user.trim(), password, shown.toString());
    }

    /** The second local user ({@link LocalUser#APPROVER}), from the local credentials file; empty if it has none. */
    static Optional<Credentials> localApprover(Context ctx) {
        Path file = LocalUser.credentialsFile(ctx.serverDir());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the credentials in " + file + ": " + e.getMessage(), e);
        }
        String user = properties.getProperty("approver.user");
        String password = properties.getProperty("approver.password");
        Path shown = file.startsWith(ctx.home()) ? ctx.home().relativize(file) : file;
        return user == null || password == null ? Optional.empty()
                : Optional.of(new Credentials(user.trim(), password, shown.toString()));
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "user " + user + " (from " + source + ")";
    }
}
