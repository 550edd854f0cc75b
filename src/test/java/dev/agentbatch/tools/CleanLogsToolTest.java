package dev.agentbatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class CleanLogsToolTest {

    @TempDir
    Path tmp;

    @Test
    void deletesOnlyOldLogsInsideTheWorkspaceAndNeverFollowsLinks() throws Exception {
        // given
        Workspace ws = new Workspace(tmp.resolve("ws"));
        Path logs = Files.createDirectories(ws.root().resolve("var/log"));
        Path old = file(logs.resolve("old.log"), 30, 100);
        Path fresh = file(logs.resolve("new.log"), 0, 100);
        Path oldNotLog = file(logs.resolve("old.txt"), 30, 100);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path outsideLog = file(outside.resolve("precious.log"), 30, 100);
        Files.createSymbolicLink(ws.root().resolve("link-dir"), outside);
        Files.createSymbolicLink(logs.resolve("link.log"), outsideLog);

        // when
        Map<String, Object> result = CleanLogsTool.clean(ws, Instant.now().minus(Duration.ofDays(7)), 7);

        // then
        assertEquals(1, result.get("deletedFiles"));
        assertEquals(100L, result.get("bytesFreed"));
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(oldNotLog));
        assertTrue(Files.exists(outsideLog), "a link must never lead a deletion out of the workspace");
        assertTrue(Files.exists(logs.resolve("link.log"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void runningTwiceIsHarmless() throws Exception {
        Workspace ws = new Workspace(tmp.resolve("ws"));
        file(ws.root().resolve("a.log"), 30, 10);
        Instant cutoff = Instant.now().minus(Duration.ofDays(7));
        assertEquals(1, CleanLogsTool.clean(ws, cutoff, 7).get("deletedFiles"));
        assertEquals(0, CleanLogsTool.clean(ws, cutoff, 7).get("deletedFiles"));
    }

    @Test
    void parsesOlderThanDays() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(7, CleanLogsTool.olderThanDays(json.readTree("{}")));
        assertEquals(3, CleanLogsTool.olderThanDays(json.readTree("{\"olderThanDays\":3}")));
        assertThrows(ToolFailure.class, () -> CleanLogsTool.olderThanDays(json.readTree("{\"olderThanDays\":-1}")));
        assertThrows(ToolFailure.class, () -> CleanLogsTool.olderThanDays(json.readTree("{\"olderThanDays\":\"x\"}")));
        assertThrows(ToolFailure.class, () -> CleanLogsTool.olderThanDays(json.readTree("{\"olderThanDays\":1.5}")));
    }

    static Path file(Path p, int daysOld, int bytes) throws IOException {
        Files.write(p, new byte[bytes]);
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofDays(daysOld))));
        return p;
    }
}
