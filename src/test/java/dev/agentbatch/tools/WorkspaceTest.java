package dev.agentbatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool can never touch a path outside the workspace: not by an absolute path, nor {@code ..}, nor a link. */
class WorkspaceTest {

    @TempDir
    Path tmp;

    @Test
    void resolvesRelativePathsInside() throws Exception {
        Workspace ws = new Workspace(tmp.resolve("ws"));
        assertEquals(ws.root().resolve("a/b"), ws.resolve("a/b"));
        assertEquals(ws.root(), ws.resolve(null));
        assertEquals(ws.root(), ws.resolve("."));
        assertEquals(ws.root().resolve("b"), ws.resolve("a/../b"));
    }

    @Test
    void refusesAbsoluteAndDotDot() throws Exception {
        Workspace ws = new Workspace(tmp.resolve("ws"));
        ToolFailure absolute = assertThrows(ToolFailure.class, () -> ws.resolve("/etc"));
        assertFalse(absolute.isTransient());
        assertThrows(ToolFailure.class, () -> ws.resolve(".."));
        assertThrows(ToolFailure.class, () -> ws.resolve("a/../../outside"));
    }

    @Test
    void refusesSymlinksLeadingOut() throws Exception {
        Workspace ws = new Workspace(tmp.resolve("ws"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(ws.root().resolve("escape"), outside);
        ToolFailure failure = assertThrows(ToolFailure.class, () -> ws.resolve("escape/secret"));
        assertTrue(failure.getMessage().contains("symbolic link"));
        assertFalse(ws.contains(ws.root().resolve("escape")));
    }

    @Test
    void symlinksInsideAreFine() throws IOException, ToolFailure {
        Workspace ws = new Workspace(tmp.resolve("ws"));
        Path real = Files.createDirectories(ws.root().resolve("real"));
        Files.createSymbolicLink(ws.root().resolve("alias"), real);
        assertEquals(ws.root().resolve("alias/x"), ws.resolve("alias/x"));
    }
}
