package dev.agentbatch.tools;

import java.io.IOException;
import java.nio.file.Path;

/** The built-in tools outside CDI, for the benchmark's plain in-memory baseline loop. */
public final class PlainTools {

    private PlainTools() {
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
