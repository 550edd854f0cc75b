package dev.agentbatch.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/nodes}: every node sharing the database, as the database's clock sees it. */
@Path("/nodes")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    @Inject
    NodeRegistry registry;
    @Inject
    AgentBatchConfig config;

    /**
     * @param heartbeatAgeMs the database's now minus the node's last heartbeat
     * @param alive          it did not leave and its heartbeat is younger than the lease
     * @param self           the node that answered
     */
    public record NodeView(String name, String state, boolean alive, long heartbeatAgeMs, int cap, long runningTasks,
                           Instant joinedAt, boolean self) {
    }

    @GET
    public Map<String, List<NodeView>> nodes() {
        return Map.of("nodes", registry.all().stream().map(n -> new NodeView(n.name(), n.state(), n.alive(config.nodeLease()),
                n.heartbeatAge().toMillis(), n.cap(), n.runningTasks(), n.joinedAt(), n.name().equals(config.nodeId()))).toList());
    }
}
