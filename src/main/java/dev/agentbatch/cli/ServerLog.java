package dev.agentbatch.cli;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * WildFly's own word on how a boot ended, read from the console log the client redirects it to: a cheap check
 * every second while {@code server start} waits, where asking the management interface would start a JVM.
 */
final class ServerLog {

    private ServerLog() {
    }

    static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + log + ": " + e.getMessage(), e);
        }
    }

    /**
     * How the last boot logged after {@code offset} ended: {@code null} while WildFly still boots,
     * else "started" (WFLYSRV0025) or "started with errors" (WFLYSRV0026, usually a failed deployment).
     * Once it has booted, a health check that still fails is a broken deployment, not a slow one.
     */
    static String bootOutcome(Path log, long offset) {
        String text;
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            if (channel.size() <= offset) {
                return null;
            }
            channel.position(offset);
            text = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNREACHABLE, "cannot read " + log + ": " + e.getMessage(), e);
        }
        int boot = Math.max(text.lastIndexOf("WFLYSRV0049"), 0);
        if (text.indexOf("WFLYSRV0026", boot) >= 0) {
            return "started with errors";
        }
        return text.indexOf("WFLYSRV0025", boot) >= 0 ? "started" : null;
    }
}
