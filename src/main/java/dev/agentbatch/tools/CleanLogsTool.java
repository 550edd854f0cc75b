package dev.agentbatch.tools;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code clean_logs}: deletes {@code *.log} files older than N days under the workspace only. Symbolic links
 * are never followed nor deleted. Idempotent by nature: a second run with the same key finds the files gone.
 */
@ApplicationScoped
public class CleanLogsTool implements AgentTool {

    static final int DEFAULT_DAYS = 7;
    static final int LISTED = 50;

    @Inject
    WorkspaceProvider workspaces;

    @Override
    public String name() {
        return "clean_logs";
    }

    @Override
    public String description() {
        return "Delete *.log files older than the given number of days under the workspace; returns the count and bytes freed.";
    }

    @Override
    public Map<String, Object> parameters() {
        return Map.of("type", "object", "properties", Map.of("olderThanDays", Map.of("type", "integer",
                "minimum", 0, "default", DEFAULT_DAYS, "description", "only files last modified before this many days ago")));
    }

    @Override
    public String execute(JsonNode arguments, ToolContext context) throws ToolFailure {
        int days = olderThanDays(arguments);
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        return Json.write(clean(workspaces.get(), cutoff, days));
    }

    static int olderThanDays(JsonNode arguments) throws ToolFailure {
        JsonNode value = arguments.path("olderThanDays");
        if (value.isMissingNode() || value.isNull()) {
            return DEFAULT_DAYS;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
            throw ToolFailure.permanent("olderThanDays must be a non-negative integer, got " + value);
        }
        return value.asInt();
    }

    static Map<String, Object> clean(Workspace workspace, Instant cutoff, int days) throws ToolFailure {
        List<String> deleted = new ArrayList<>();
        long[] bytes = {0};
        try {
            Files.walkFileTree(workspace.root(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".log")
                            && attrs.lastModifiedTime().toInstant().isBefore(cutoff) && workspace.contains(file)) {
                        try {
                            Files.delete(file);
                            deleted.add(workspace.relativize(file));
                            bytes[0] += attrs.size();
                        } catch (NoSuchFileException gone) {
                            // already deleted by an earlier attempt with the same key: nothing to do
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw ToolFailure.transientFailure("cannot walk the workspace: " + e.getMessage(), e);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("olderThanDays", days);
        result.put("deletedFiles", deleted.size());
        result.put("bytesFreed", bytes[0]);
        result.put("files", deleted.size() > LISTED ? deleted.subList(0, LISTED) : deleted);
        return result;
    }
}
