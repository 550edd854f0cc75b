package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The command tree as picocli parses it: typed options, and the one-line messages of {@link UsageErrors}. */
class CommandLineTest {

    private static CommandLine tree() {
        return AgentBatchCli.commandLine(new Context(Map.of(), System.out, System.err, false));
    }

    /** Parses, and returns the subcommand's object with its fields set. */
    @SuppressWarnings("unchecked")
    private static <T> T parse(String... args) {
        CommandLine.ParseResult result = tree().parseArgs(args);
        CommandLine.ParseResult leaf = result;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return (T) leaf.commandSpec().userObject();
    }

    private static SubmitCommand submit(String... tokens) {
        String[] args = new String[tokens.length + 1];
        args[0] = "submit";
        System.arraycopy(tokens, 0, args, 1, tokens.length);
        return parse(args);
    }

    @Test
    void readsEveryOption() {
        SubmitCommand submit = submit("Fix", "it", "--priority", "7", "--deadline", "PT5M", "--max-iterations", "12",
                "--budget-tokens", "50000", "--tools", "read_file, delete_file,", "--key", "k-1", "--wait",
                "--timeout", "90", "--json");
        assertEquals(List.of("Fix", "it"), submit.words);
        assertEquals(7L, submit.priority);
        assertEquals(Duration.ofMinutes(5), submit.limits.deadline);
        assertEquals(12L, submit.limits.maxIterations);
        assertEquals(50000L, submit.limits.budgetTokens);
        assertEquals(List.of("read_file", "delete_file"), submit.toolList());
        assertEquals("k-1", submit.key);
        assertEquals(Duration.ofSeconds(90), submit.wait.timeout);
        assertTrue(submit.wait.wait);
        assertTrue(submit.wait.json);
    }

    @Test
    void absentOptionsAreNull() {
        SubmitCommand submit = submit("text");
        assertNull(submit.priority);
        assertNull(submit.wait.timeout);
        assertNull(submit.toolList());
        assertNull(submit.key);
        assertFalse(submit.wait.waiting());
    }

    @Test
    void timeoutImpliesWait() {
        assertTrue(submit("x", "--timeout", "PT1M").wait.waiting());
    }

    @Test
    void acceptsEqualsFormAndDoubleDash() {
        SubmitCommand submit = submit("--priority=3", "--", "--not-an-option", "-x");
        assertEquals(3L, submit.priority);
        assertEquals(List.of("--not-an-option", "-x"), submit.words);
    }

    @Test
    void aTaskTextThatLooksLikeAFileReferenceIsText() {
        assertEquals(List.of("@ops", "please"), submit("@ops", "please").words);
    }

    @Test
    void missingValueIsUsageError() {
        assertUsage(() -> submit("x", "--priority"), "--priority needs a value");
        assertUsage(() -> submit("x", "--deadline", "--wait"), "--deadline needs a value");
    }

    @Test
    void unknownOptionIsUsageError() {
        assertUsage(() -> submit("x", "--prio", "3"), "unknown option --prio for 'submit'");
        assertUsage(() -> parse("server", "start", "--force"), "unknown option --force for 'start'");
    }

    @Test
    void unknownCommandsAndActionsAreUsageErrors() {
        assertUsage(() -> parse("frobnicate"), "unknown command 'frobnicate' (see: bin/agent-batch help)");
        assertUsage(() -> parse("server", "reboot"), "unknown 'server' action 'reboot'; use start, status, stop");
        assertUsage(() -> parse("list", "extra"), "'list' takes no argument 'extra'");
    }

    @Test
    void badIntegersAreUsageErrors() {
        assertUsage(() -> submit("x", "--priority", "high"), "--priority must be an integer 0-9, got 'high'");
        assertUsage(() -> submit("x", "--priority", "10"), "--priority must be an integer 0-9, got 10");
        assertUsage(() -> submit("x", "--max-iterations", "0"), "--max-iterations must be a positive integer, got 0");
        assertUsage(() -> submit("x", "--budget-tokens", "1e6"),
                "--budget-tokens must be a positive integer, got '1e6'");
        assertUsage(() -> parse("purge", "--older-than-days", "-1"), "--older-than-days must be an integer 0-36500");
        assertUsage(() -> parse("list", "--limit", "0"), "--limit must be a positive integer, got 0");
    }

    @Test
    void otherBadValuesAreUsageErrors() {
        assertUsage(() -> submit("x", "--timeout", "soon"), "--timeout must be an ISO-8601");
        assertUsage(() -> submit("x", "--tools", " , ").toolList(), "--tools needs a comma-separated list");
        assertUsage(() -> submit("x", "--key", " "), "--key must not be empty");
        assertUsage(() -> submit("x", "--wait=yes"), "--wait takes no value");
        assertUsage(() -> submit("x", "--priority", "1", "--priority", "2"), "--priority given twice");
        assertUsage(() -> parse("list", "--state", "DONE"), "--state must be one of PENDING, RESTART_PENDING");
    }

    @Test
    void statesAreReadInAnyCase() {
        ListCommand list = parse("list", "--state", "restart_pending", "--limit", "5");
        assertEquals(java.util.List.of("RESTART_PENDING"), list.filter.states);
        assertEquals(5L, list.limit);
    }

    @Test
    void listAndBulkTakeTheListsFilters() {
        // given / when
        ListCommand list = parse("list", "--state", "failed,stopped", "--exit-status", "ITERATION_LIMIT", "--priority", "3",
                "--text", "disk", "--from", "2026-11-29", "--created", "--sort", "-updatedAt", "--page", "2");
        BulkCommand bulk = parse("bulk", "restart", "--state", "FAILED", "--text", "disk", "--max-iterations", "9");
        BulkCommand byIds = parse("bulk", "stop", "4", "5");

        // then: the API's own parameter names
        assertEquals(java.util.Map.of("state", "FAILED,STOPPED", "exitStatus", "ITERATION_LIMIT", "priority", "3", "q", "disk",
                "from", "2026-11-29", "time", "created"), list.filter.parameters());
        assertEquals("-updatedAt", list.sort);
        assertEquals(2L, list.page);
        assertEquals(java.util.Map.of("state", "FAILED", "q", "disk"), bulk.filter.parameters());
        assertEquals(9L, bulk.limits.maxIterations);
        assertEquals(java.util.List.of(4L, 5L), byIds.ids);
        assertUsage(() -> parse("list", "--priority", "12"), "--priority");
    }

    @Test
    void taskIdMustBeOneNumber() {
        assertUsage(() -> parse("status"), "'status' needs a task id: bin/agent-batch status ID");
        assertUsage(() -> parse("status", "abc"), "task id must be a number, got 'abc'");
        assertUsage(() -> parse("status", "1", "2"), "'status' takes one task id");
        assertEquals(42L, ((StatusCommand) parse("status", "42", "--json")).id);
        RestartCommand restart = parse("restart", "7", "--max-iterations", "40", "--wait");
        assertEquals(7L, restart.id);
        assertEquals(40L, restart.limits.maxIterations);
    }

    @Test
    void missingTextsSayWhatToType() {
        assertUsage(() -> parse("submit"),
                "'submit' needs the task text: bin/agent-batch submit \"Fix the disk space\"");
        assertUsage(() -> parse("sql"), "sql needs a statement");
    }

    @Test
    void demoAndPurgeWaitTenMinutesByDefault() {
        assertEquals(Duration.ofMinutes(10), ((DemoCommand) parse("demo")).timeout);
        assertEquals(Duration.ofMinutes(10), ((PurgeCommand) parse("purge")).timeout);
        assertEquals(Duration.ofSeconds(30), ((DemoCommand) parse("demo", "--timeout", "30")).timeout);
    }

    static void assertUsage(Executable action, String expected) {
        String message;
        try {
            action.execute();
            throw new AssertionError("no usage error; expected: " + expected);
        } catch (ParameterException e) {
            message = UsageErrors.message(e);
        } catch (CliException e) {
            assertEquals(ExitCodes.USAGE, e.exitCode());
            message = e.getMessage();
        } catch (Throwable e) {
            throw new AssertionError("unexpected " + e, e);
        }
        assertTrue(message.contains(expected), message + " should contain " + expected);
    }
}
