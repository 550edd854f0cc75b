package dev.agentbatch.ops;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.management.ObjectName;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this server is suspending (a graceful shutdown, SIGTERM, {@code :suspend}): read from the server's own
 * management model ({@code suspend-state}), which the jmx subsystem exposes in the platform MBean server. WildFly
 * tells a deployment nothing else before its batch subsystem stops the running jobs; the job listener needs to know
 * so that a stop caused by the node leaving hands the task over instead of ending it.
 */
@ApplicationScoped
public class ServerState {

    private static final Logger LOG = Logger.getLogger(ServerState.class.getName());
    private static final String ROOT = "jboss.as:management-root=server";

    /** True while the server suspends or is suspended. */
    public boolean suspending() {
        try {
            Object state = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(ROOT), "suspendState");
            return state != null && !"RUNNING".equals(state.toString());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cannot read the server's suspend-state from " + ROOT + "; taking it as RUNNING", e);
            return false;
        }
    }
}
