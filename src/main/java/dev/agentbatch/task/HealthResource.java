package dev.agentbatch.task;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.tools.WorkspaceProvider;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/health}: 200 once the deployment answers and its database is reachable. Public: load balancers need it. */
@Path("/health")
@RequestScoped
@PermitAll
public class HealthResource {

    @Inject
    AgentBatchConfig config;
    @Inject
    WorkspaceProvider workspace;
    @Inject
    dev.agentbatch.queue.LiveExecutions live;
    @PersistenceContext
    EntityManager em;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> health() {
        // one probe of the primary key: the database and our schema answer. Not a count of the table, which on
        // PostgreSQL is a scan of every task kept (243-281 ms at a million), on an endpoint anyone may call.
        em.createQuery("select count(t) from AgentTask t where t.id = 0", Long.class).getSingleResult();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("model", config.usesDemoModel() ? AgentBatchConfig.DEMO_MODEL_NAME : "openai");
        body.put("modelName", config.openAiModel());
        body.put("workspace", workspace.get().root().toString());
        body.put("node", config.nodeId());
        body.put("liveExecutions", live.snapshot().size());
        return body;
    }
}
