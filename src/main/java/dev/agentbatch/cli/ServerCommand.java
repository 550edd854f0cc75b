package dev.agentbatch.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code server start|stop|status}: the WildFly provisioned in {@code target/server} ({@link ServerControl}). */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "the WildFly provisioned in target/server: start, stop, status")
final class ServerCommand implements Callable<Integer> {

    @ParentCommand
    AgentBatchCli root;

    @Override
    public Integer call() {
        throw CliException.usage("'server' needs one of: start, stop, status");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "start it in the background, wait until healthy (up to 180 s)")
    int start() {
        return server().start();
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "stop it (SIGTERM, SIGKILL after 30 s)")
    int stop() {
        return server().stop();
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "UP or DOWN (exit 4)")
    int status() {
        return server().status();
    }

    private ServerControl server() {
        return new ServerControl(root.ctx(), root.api());
    }
}
