package dev.agentbatch.tools;

import java.io.IOException;
import java.io.UncheckedIOException;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The workspace of this deployment (AGENT_BATCH_WORKSPACE), created on first use. */
@ApplicationScoped
public class WorkspaceProvider {

    @Inject
    AgentBatchConfig config;

    private volatile Workspace workspace;

    public Workspace get() {
        Workspace w = workspace;
        if (w == null) {
            try {
                w = new Workspace(config.workspace());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the workspace " + config.workspace(), e);
            }
            workspace = w;
        }
        return w;
    }
}
