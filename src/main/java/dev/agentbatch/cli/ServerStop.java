package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code server stop}: asks the management interface for a graceful {@code :shutdown} once it has checked that the
 * server answering there is this one (its {@code home-dir}); a signal is the fallback, and only ever for a pid whose
 * command line names this server's {@code jboss.home.dir} ({@link ServerPid}). Another checkout's server on the same
 * port, or a recycled pid, is left alone.
 */
final class ServerStop {

    private final LocalServer server;
    private final PrintStream out;

    ServerStop(LocalServer server, PrintStream out) {
        this.server = server;
        this.out = out;
    }

    /**
     * A graceful {@code :shutdown} through the management interface when the server there is this one; SIGTERM
     * (then SIGKILL after 30 s) to the pid file's process otherwise, once its command line proved it is this server.
     */
    int stop() {
        Management management = server.management();
        ServerPid pid = server.pid();
        Optional<Management.Identity> answering = management.identify();
        boolean ours = answering.map(id -> ServerPid.sameDir(id.home(), server.serverDir())).orElse(false);
        OptionalLong recorded = pid.running();
        Long target = recorded.isPresent() ? Long.valueOf(recorded.getAsLong()) : null;
        Long reported = answering.map(Management.Identity::pid).orElse(null);
        if (target == null && ours && reported != null && pid.isThisServer(reported)) {
            target = reported; // started without our pid file
        }
        if (target == null && !ours) {
            String other = answering.map(id -> "; the server on " + management.controller() + " is another one ("
                    + id.home() + "), left alone").orElse("");
            pid.forget();
            out.println("server is not running (no process of " + server.serverDir() + ")" + other);
            return ExitCodes.OK;
        }
        if (ours) {
            int suspend = LocalServer.SUSPEND_TIMEOUT_SECONDS;
            out.print("stopping server (pid " + (target == null ? "?" : target) + ": :shutdown(suspend-timeout="
                    + suspend + ") on " + management.controller() + ") ");
            out.flush();
            if (management.shutdown(suspend) && (target == null || pid.awaitExit(target, suspend + 30, this::tick))) {
                pid.forget();
                out.println(" stopped");
                return ExitCodes.OK;
            }
            if (target == null) {
                out.println();
                throw new CliException(ExitCodes.UNREACHABLE, "the server on " + management.controller() + " did not"
                        + " shut down, and no pid of it can be checked to signal it; see " + server.consoleLog());
            }
            out.print(" no exit yet; SIGTERM ");
        } else {
            out.print("stopping server (pid " + target + ", SIGTERM) ");
        }
        out.flush();
        boolean graceful = pid.terminate(target, this::tick);
        pid.forget();
        out.println(graceful ? " stopped" : " killed (did not stop within 30 s of SIGTERM)");
        return ExitCodes.OK;
    }

    private void tick() {
        out.print('.');
        out.flush();
    }
}
