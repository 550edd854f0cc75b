package dev.agentbatch.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code server start|stop|status}: the WildFly provisioned in {@code target/server} ({@link LocalServer}). */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "the WildFly provisioned in target/server: start, stop, status")
final class ServerCommand implements Callable<Integer> {

    @ParentCommand
    AgentBatchCli root;

    @Override
    public Integer call() {
        throw CliException.usage("'server' needs one of: start, stop, status");
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = {"start it in the background and wait "
        + "until healthy (up to 180 s); the first start creates the local user agent-batch-local and its "
        + "credentials file"})
    int start() {
        if (root.api().whyNotUp() == null) {
            root.ctx().out().println("server already UP at " + root.api().baseUrl());
            return ExitCodes.OK;
        }
        server().ensureRunning();
        return ExitCodes.OK;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = {"stop it: :shutdown(suspend-timeout="
        + LocalServer.SUSPEND_TIMEOUT_SECONDS + ") through the management interface; SIGTERM (SIGKILL after 30 s) "
        + "only to this server's pid"})
    int stop() {
        return new ServerStop(server(), root.ctx().out()).stop();
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "UP, or DOWN (exit 4) with the server-state WildFly reports")
    int status() {
        return server().status();
    }

    private LocalServer server() {
        return new LocalServer(root.ctx(), root.api());
    }
}
