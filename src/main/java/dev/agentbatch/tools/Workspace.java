package dev.agentbatch.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The only directory tools may touch. Every path a model gives is resolved here and refused when it
 * leaves the root, by {@code ..} or by a symbolic link anywhere on the way.
 */
public final class Workspace {

    private final Path root;

    public Workspace(Path root) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
    }

    public Path root() {
        return root;
    }

    /**
     * @param relative a path relative to the workspace, as the model wrote it (null or empty: the root)
     * @throws ToolFailure (permanent) when it is absolute or escapes the workspace
     */
    public Path resolve(String relative) throws ToolFailure {
        if (relative == null || relative.isBlank() || relative.equals(".")) {
            return root;
        }
        Path given = Path.of(relative);
        if (given.isAbsolute()) {
            throw ToolFailure.permanent("path must be relative to the workspace: " + relative);
        }
        Path candidate = root.resolve(given).normalize();
        if (!candidate.startsWith(root)) {
            throw ToolFailure.permanent("path leaves the workspace: " + relative);
        }
        // Follow links on the part that exists: a link must not lead out either.
        Path existing = candidate;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                if (!existing.toRealPath().startsWith(root)) {
                    throw ToolFailure.permanent("path leaves the workspace through a symbolic link: " + relative);
                }
            } catch (IOException e) {
                throw ToolFailure.permanent("cannot resolve path " + relative + ": " + e.getMessage(), e);
            }
        }
        return candidate;
    }

    /** True when the file is inside the workspace once every link on its way is followed. */
    public boolean contains(Path file) {
        try {
            return file.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    public String relativize(Path file) {
        return root.relativize(file).toString();
    }
}
