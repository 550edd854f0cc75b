package dev.agentbatch.tools;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code check_disk}: real usage of the file system holding the workspace, and its largest folders. Read-only. */
@ApplicationScoped
public class CheckDiskTool implements AgentTool {

    static final int LARGEST = 5;

    @Inject
    WorkspaceProvider workspaces;

    @Override
    public String name() {
        return "check_disk";
    }

    @Override
    public boolean hasSideEffects() {
        return false;
    }

    @Override
    public String description() {
        return "Report disk usage of the file system holding the workspace and the largest folders under it.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string",
                "description", "folder relative to the workspace (default: the workspace itself)")));
    }

    @Override
    public String execute(JsonNode arguments, ToolContext context) throws ToolFailure {
        Workspace workspace = workspaces.get();
        Path dir = workspace.resolve(arguments.path("path").asText(null));
        if (!Files.isDirectory(dir)) {
            throw ToolFailure.permanent("not a folder in the workspace: " + workspace.relativize(dir));
        }
        try {
            FileStore store = Files.getFileStore(dir);
            long total = store.getTotalSpace();
            long usable = store.getUsableSpace();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("path", workspace.relativize(dir).isEmpty() ? "." : workspace.relativize(dir));
            result.put("totalBytes", total);
            result.put("usedBytes", total - usable);
            result.put("freeBytes", usable);
            result.put("usedPercent", total == 0 ? 0 : Math.round((total - usable) * 1000.0 / total) / 10.0);
            result.put("largestFolders", largestFolders(workspace, dir));
            return Json.write(result);
        } catch (IOException e) {
            throw ToolFailure.transientFailure("cannot read disk usage: " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> largestFolders(Workspace workspace, Path dir) throws IOException {
        List<Map<String, Object>> folders = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (Files.isDirectory(child, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    folders.add(Map.of("path", workspace.relativize(child), "bytes", sizeOf(child)));
                }
            }
        }
        folders.sort(Comparator.comparingLong((Map<String, Object> m) -> (Long) m.get("bytes")).reversed());
        return folders.size() > LARGEST ? folders.subList(0, LARGEST) : folders;
    }

    static long sizeOf(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
