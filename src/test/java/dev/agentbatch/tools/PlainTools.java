package dev.agentbatch.tools;

import java.io.IOException;
import java.nio.file.Path;

/** The built-in tools outside CDI, for the benchmark's plain in-memory baseline loop. */
public final class PlainTools {

    private PlainTools() {
    }

    /** http_request, allowed to call {@code hostAndPort} only, handing the model up to 25,000 characters of a body. */
    public static AgentTool httpRequest(String hostAndPort) {
        System.setProperty("AGENT_BATCH_HTTP_ALLOWED_HOSTS", hostAndPort);
        System.setProperty("AGENT_BATCH_TOOL_RESULT_MAX_CHARS", "25000");
        HttpRequestTool tool = new HttpRequestTool();
        tool.config = new dev.agentbatch.config.AgentBatchConfig();
        return tool;
    }

    public static AgentTool checkDisk(Path workspaceRoot) throws IOException {
        Workspace workspace = new Workspace(workspaceRoot);
        CheckDiskTool tool = new CheckDiskTool();
        tool.workspaces = new WorkspaceProvider() {
            @Override
            public Workspace get() {
                return workspace;
            }
        };
        return tool;
    }
}
