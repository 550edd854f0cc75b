package dev.agentbatch.cli;

import java.util.Locale;

/**
 * The exit codes are a contract with scripts and CI jobs, so they live in one place (the usage help of
 * {@link AgentBatchCli} lists them, and a test holds the two together).
 */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int STOPPED = 2;
    static final int USAGE = 3;
    static final int UNREACHABLE = 4;
    static final int TIMEOUT = 5;

    private ExitCodes() {
    }

    /** PENDING and RUNNING map to 0: the command worked and the task has not failed (yet). */
    static int forState(String state) {
        if (state == null) {
            return OK;
        }
        return switch (state.toUpperCase(Locale.ROOT)) {
            case "FAILED" -> FAILED;
            case "STOPPED" -> STOPPED;
            default -> OK;
        };
    }

    /** Unknown states count as not terminal, so a newer server never makes a waiter stop early. */
    static boolean isTerminal(String state) {
        if (state == null) {
            return false;
        }
        return switch (state.toUpperCase(Locale.ROOT)) {
            case "COMPLETED", "FAILED", "STOPPED" -> true;
            default -> false;
        };
    }
}
