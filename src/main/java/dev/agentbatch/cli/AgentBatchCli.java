package dev.agentbatch.cli;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of {@code bin/agent-batch}, and the root of its picocli command tree. Only {@link #main} touches the
 * process: {@link #run} takes the environment and streams as arguments and returns the exit code, so tests drive
 * the real client end to end without forking a JVM. Subcommands reach the {@link Context} and the {@link ApiClient}
 * through this root ({@code @ParentCommand}).
 */
@Command(name = "agent-batch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        usageHelpWidth = 100, sortOptions = false,
        header = "agent-batch: durable LLM agent tasks as Jakarta Batch jobs on WildFly",
        synopsisHeading = "%nUsage: ", commandListHeading = "%nCommands:%n",
        description = {"", "Submits and follows agent tasks over the REST API (AGENT_BATCH_URL), runs the demo, "
            + "and starts and stops the WildFly provisioned in target/server. "
            + "'agent-batch help COMMAND' or 'agent-batch COMMAND --help' show a command's options."},
        subcommands = {DemoCommand.class, SubmitCommand.class, StatusCommand.class, ListCommand.class,
            TranscriptCommand.class, RestartCommand.class, StopCommand.class, BulkCommand.class, ApprovalsCommand.class,
            DecisionCommand.Approve.class, DecisionCommand.Deny.class, NodesCommand.class, SqlCommand.class,
            PurgeCommand.class,
            ServerCommand.class, CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        footerHeading = "%n", footer = {
            "exit codes:",
            "  0  COMPLETED; or accepted (submit, restart, stop without --wait); or status, list,",
            "     transcript worked and the task is neither FAILED nor STOPPED",
            "  1  the task FAILED",
            "  2  the task was STOPPED",
            "  3  bad usage, or input the server rejected (any 4xx, 401/403 included; its detail is printed)",
            "  4  server unreachable (connection refused or timed out, or a 5xx)",
            "  5  --wait timed out (the task goes on; see: status ID)",
            "",
            "environment:",
            "  AGENT_BATCH_URL          server base URL (default " + Context.DEFAULT_URL + ")",
            "  AGENT_BATCH_PORT_OFFSET  without AGENT_BATCH_URL: port 8080 + offset, and the offset",
            "                           server start passes to WildFly",
            "  AGENT_BATCH_USER, AGENT_BATCH_PASSWORD",
            "                           HTTP BASIC credentials (default for the local server: the file",
            "                           target/server/standalone/configuration/agent-batch-cli.properties)",
            "  AGENT_BATCH_CA_FILE      PEM file of the authority that signed an https:// server's certificate",
            "  JBOSS_JAVA_SIZING        server JVM memory (default " + LocalServer.DEFAULT_HEAP,
            "                           " + LocalServer.DEFAULT_METASPACE + ")",
            "  AGENT_BATCH_POLL_MS      how often --wait polls when the server has no event stream (default 300)",
            "  AGENT_BATCH_DEBUG        set to 1 to print stack traces with errors",
            "",
            "Progress goes to stdout (stderr with --json); errors are one line on stderr."})
public final class AgentBatchCli implements Callable<Integer> {

    private final Context ctx;
    private ApiClient api;

    AgentBatchCli(Context ctx) {
        this.ctx = ctx;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: task texts and model answers are rarely pure ASCII
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Context ctx = new Context(System.getenv(), out, err, isTerminal(System.console()));
        int code = run(List.of(args), ctx);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Whether a person watches: JDK 17-21 give a console only to a terminal, but JDK 22-24 give one
     * to redirected streams too (a cron job, a log collector), and only {@code Console.isTerminal()}
     * (JDK 22+, called reflectively since the client targets 17) tells them apart.
     */
    static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console));
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** For tests: a non-interactive run with this environment on top of nothing else. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(List.of(args), new Context(new HashMap<>(env), out, err, false));
    }

    static int run(List<String> args, Context ctx) {
        return commandLine(ctx).execute(args.toArray(String[]::new));
    }

    /** The configured command tree: one-line usage errors (exit 3), CliException's exit codes, no @-files. */
    static CommandLine commandLine(Context ctx) {
        CommandLine commandLine = new CommandLine(new AgentBatchCli(ctx));
        commandLine.setExpandAtFiles(false); // "@ops please check" is a task text, not a file to read
        commandLine.setOut(new PrintWriter(ctx.out(), true));
        commandLine.setErr(new PrintWriter(ctx.err(), true));
        commandLine.setParameterExceptionHandler(new UsageErrors(ctx));
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> report(ctx, e));
        commandLine.setUsageHelpWidth(100);
        return commandLine;
    }

    /** No command: the full help, as {@code help} prints it. */
    @Override
    public Integer call() {
        CommandLine.usage(this, ctx.out());
        return ExitCodes.OK;
    }

    Context ctx() {
        return ctx;
    }

    ApiClient api() {
        if (api == null) {
            api = new ApiClient(ctx);
        }
        return api;
    }

    /** One line, whatever the message holds: scripts and log collectors read errors line by line. */
    static int report(Context ctx, Exception e) {
        ctx.out().flush();
        int code;
        String message;
        if (e instanceof CliException cli) {
            code = cli.exitCode();
            message = cli.getMessage();
        } else {
            code = ExitCodes.UNREACHABLE;
            message = "internal error: " + e + " (rerun with AGENT_BATCH_DEBUG=1 for the stack trace)";
        }
        String line = message == null ? e.getClass().getName() : message.replaceAll("\\s*\\R\\s*", " ");
        ctx.err().println("agent-batch: " + line);
        if (ctx.env("AGENT_BATCH_DEBUG") != null) {
            e.printStackTrace(ctx.err());
        }
        return code;
    }
}
