package dev.agentbatch.cli;

import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's usage errors as the contract wants them: exit code 3 and one line on stderr that starts with
 * {@code agent-batch: } and says what to fix, with no usage dump. A typo must cost a usage line, never a
 * half-configured task on the server.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    /** What a missing positional parameter means, by its label. */
    private static final Map<String, String> MISSING = Map.of(
            "TEXT", "'submit' needs the task text: bin/agent-batch submit \"Fix the disk space\"",
            "SQL", "sql needs a statement, e.g. bin/agent-batch sql \"select * from AGENT_TASK_RUN\"");

    private final Context ctx;

    UsageErrors(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        return AgentBatchCli.report(ctx, CliException.usage(message(e)));
    }

    static String message(ParameterException e) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandName();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return unmatched(command, unmatched.getUnmatched().get(0));
        }
        if (e instanceof CommandLine.OverwrittenOptionException overwritten) {
            return label(overwritten.getOverwritten()) + " given twice";
        }
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()) {
            ArgSpec spec = missing.getMissing().get(0);
            if (spec instanceof PositionalParamSpec positional) {
                return positional.paramLabel().equals("ID")
                        ? "'" + name + "' needs a task id: bin/agent-batch " + name + " ID"
                        : MISSING.getOrDefault(positional.paramLabel(), e.getMessage());
            }
            return label(spec) + " needs a value";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException conversion && e.getArgSpec() != null) {
            ArgSpec spec = e.getArgSpec();
            if (spec instanceof OptionSpec option && option.arity().max() == 0) {
                return label(spec) + " takes no value";
            }
            return spec.isOption() ? label(spec) + " " + conversion.getMessage() : conversion.getMessage();
        }
        return e.getMessage();
    }

    private static String unmatched(CommandLine command, String arg) {
        String name = command.getCommandName();
        boolean root = command.getParent() == null;
        if (arg.startsWith("-")) {
            return "unknown option " + arg + (root ? "" : " for '" + name + "'") + " (see: bin/agent-batch "
                    + (root ? "help" : "help " + qualifiedName(command)) + ")";
        }
        if (root) {
            return "unknown command '" + arg + "' (see: bin/agent-batch help)";
        }
        if (!command.getSubcommands().isEmpty()) {
            return "unknown '" + name + "' action '" + arg + "'; use "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        List<PositionalParamSpec> positionals = command.getCommandSpec().positionalParameters();
        if (positionals.stream().anyMatch(p -> p.paramLabel().equals("ID"))) {
            return "'" + name + "' takes one task id; unexpected '" + arg + "'";
        }
        return "'" + name + "' takes no argument '" + arg + "'";
    }

    private static String qualifiedName(CommandLine command) {
        return command.getParent() == null || command.getParent().getParent() == null ? command.getCommandName()
                : qualifiedName(command.getParent()) + " " + command.getCommandName();
    }

    private static String label(ArgSpec spec) {
        return spec instanceof OptionSpec option ? option.longestName() : spec.paramLabel();
    }
}
