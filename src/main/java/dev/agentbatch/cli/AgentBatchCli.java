package dev.agentbatch.cli;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/agent-batch}. Only {@link #main} touches the process: {@link #run}
 * takes its environment and streams as arguments and returns the exit code, so tests drive
 * the real client end to end without forking a JVM.
 */
public final class AgentBatchCli {

    private AgentBatchCli() {
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
        try {
            return dispatch(args, ctx);
        } catch (CliException e) {
            report(ctx, e.getMessage(), e);
            return e.exitCode();
        } catch (RuntimeException e) {
            report(ctx, "internal error: " + e + " (rerun with AGENT_BATCH_DEBUG=1 for the stack trace)", e);
            return ExitCodes.UNREACHABLE;
        }
    }

    private static int dispatch(List<String> args, Context ctx) {
        if (args.isEmpty() || List.of("help", "--help", "-h").contains(args.get(0))) {
            ctx.out().print(Help.text());
            return ExitCodes.OK;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        ApiClient api = new ApiClient(ctx.baseUrl());
        TaskCommands tasks = new TaskCommands(ctx, api);
        return switch (command) {
            case "demo" -> new DemoCommand(ctx, api).run(rest);
            case "server" -> new ServerControl(ctx, api).run(rest);
            case "submit" -> tasks.submit(rest);
            case "status" -> tasks.status(rest);
            case "list" -> tasks.list(rest);
            case "transcript" -> tasks.transcript(rest);
            case "restart" -> tasks.restart(rest);
            case "stop" -> tasks.stop(rest);
            case "sql" -> new SqlCommand(ctx).run(rest);
            case "purge" -> new PurgeCommand(ctx, api).run(rest);
            default -> throw CliException.usage("unknown command '" + command + "' (see: bin/agent-batch help)");
        };
    }

    /** One line, whatever the message holds: scripts and log collectors read errors line by line. */
    private static void report(Context ctx, String message, Throwable e) {
        ctx.out().flush();
        String line = message == null ? e.getClass().getName() : message.replaceAll("\\s*\\R\\s*", " ");
        ctx.err().println("agent-batch: " + line);
        if (ctx.env("AGENT_BATCH_DEBUG") != null) {
            e.printStackTrace(ctx.err());
        }
    }
}
