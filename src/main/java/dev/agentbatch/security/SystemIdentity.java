package dev.agentbatch.security;

import java.util.function.Supplier;

import org.wildfly.security.auth.server.SecurityDomain;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The product's own work (the dispatcher's starts, recovery's and takeover's restarts, the scheduled purge) runs as one
 * named identity, {@code agent-batch-system}, never as whoever happened to wake it: WildFly's batch subsystem checks
 * a BatchPermission for every start, stop and restart, and the server grants them to this principal and to
 * {@link Roles#OPERATOR} only (configure-server.cli). It is an ad-hoc identity of the deployment's security domain:
 * no realm entry, so no password can log in as it. The person who asked is in the audit, not here.
 */
@ApplicationScoped
public class SystemIdentity {

    public static final String NAME = "agent-batch-system";

    public <T> T call(Supplier<T> work) {
        SecurityDomain domain = SecurityDomain.getCurrent();
        if (domain == null) {
            throw new IllegalStateException("no Elytron security domain for this deployment (configure-server.cli maps"
                    + " undertow's application-security-domain 'other' to ApplicationDomain)");
        }
        return domain.createAdHocIdentity(NAME).runAsSupplier(work);
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }
}
