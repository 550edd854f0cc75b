package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ArgsTest {

    private static Args submit(String... tokens) {
        return Args.parse("submit", List.of(tokens), Args.names("--wait", "--json"), Args.names("--priority",
                "--deadline", "--max-iterations", "--budget-tokens", "--tools", "--key", "--timeout"));
    }

    @Test
    void readsEveryOption() {
        Args args = submit("Fix", "it", "--priority", "7", "--deadline", "PT5M", "--max-iterations", "12",
                "--budget-tokens", "50000", "--tools", "read_file, delete_file,", "--key", "k-1", "--wait",
                "--timeout", "90", "--json");
        assertEquals(List.of("Fix", "it"), args.positionals());
        assertEquals(7, args.integer("--priority", 0, 9));
        assertEquals(Duration.ofMinutes(5), args.duration("--deadline"));
        assertEquals(12, args.integer("--max-iterations", 1, Integer.MAX_VALUE));
        assertEquals(50000L, args.longValue("--budget-tokens", 1, Long.MAX_VALUE));
        assertEquals(List.of("read_file", "delete_file"), args.list("--tools"));
        assertEquals("k-1", args.text("--key"));
        assertEquals(Duration.ofSeconds(90), args.duration("--timeout"));
        assertTrue(args.flag("--wait"));
        assertTrue(args.flag("--json"));
    }

    @Test
    void absentOptionsAreNull() {
        Args args = submit("text");
        assertNull(args.integer("--priority", 0, 9));
        assertNull(args.duration("--timeout"));
        assertNull(args.list("--tools"));
        assertNull(args.text("--key"));
        assertFalse(args.flag("--wait"));
    }

    @Test
    void acceptsEqualsFormAndDoubleDash() {
        Args args = submit("--priority=3", "--", "--not-an-option", "-x");
        assertEquals(3, args.integer("--priority", 0, 9));
        assertEquals(List.of("--not-an-option", "-x"), args.positionals());
    }

    @Test
    void missingValueIsUsageError() {
        assertUsage(() -> submit("x", "--priority"), "--priority needs a value");
        assertUsage(() -> submit("x", "--deadline", "--wait"), "--deadline needs a value");
    }

    @Test
    void unknownOptionIsUsageError() {
        assertUsage(() -> submit("x", "--prio", "3"), "unknown option --prio for 'submit'");
    }

    @Test
    void badIntegersAreUsageErrors() {
        assertUsage(() -> submit("x", "--priority", "high").integer("--priority", 0, 9),
                "--priority must be an integer 0-9, got 'high'");
        assertUsage(() -> submit("x", "--priority", "10").integer("--priority", 0, 9),
                "--priority must be an integer 0-9, got 10");
        assertUsage(() -> submit("x", "--max-iterations", "0").integer("--max-iterations", 1, Integer.MAX_VALUE),
                "--max-iterations must be a positive integer, got 0");
        assertUsage(() -> submit("x", "--budget-tokens", "1e6").longValue("--budget-tokens", 1, Long.MAX_VALUE),
                "--budget-tokens must be a positive integer, got '1e6'");
    }

    @Test
    void otherBadValuesAreUsageErrors() {
        assertUsage(() -> submit("x", "--timeout", "soon").duration("--timeout"), "--timeout must be an ISO-8601");
        assertUsage(() -> submit("x", "--tools", " , ").list("--tools"), "--tools needs a comma-separated list");
        assertUsage(() -> submit("x", "--key", " ").text("--key"), "--key must not be empty");
        assertUsage(() -> submit("x", "--wait=yes"), "--wait takes no value");
        assertUsage(() -> submit("x", "--priority", "1", "--priority", "2"), "--priority given twice");
    }

    @Test
    void taskIdMustBeOneNumber() {
        Args none = Args.parse("status", List.of(), Args.names("--json"), Args.names());
        assertUsage(none::taskId, "'status' needs a task id");
        Args word = Args.parse("status", List.of("abc"), Args.names("--json"), Args.names());
        assertUsage(word::taskId, "task id must be a number, got 'abc'");
        Args two = Args.parse("status", List.of("1", "2"), Args.names("--json"), Args.names());
        assertUsage(two::taskId, "takes one task id");
        assertEquals(42L, Args.parse("status", List.of("42", "--json"), Args.names("--json"), Args.names()).taskId());
    }

    static void assertUsage(Executable action, String expected) {
        CliException e = assertThrows(CliException.class, action);
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
    }
}
