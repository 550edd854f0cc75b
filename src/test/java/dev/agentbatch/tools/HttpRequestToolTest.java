package dev.agentbatch.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class HttpRequestToolTest {

    @Test
    void onlyAllowListedHostAndPort() throws ToolFailure {
        List<String> allowed = List.of("127.0.0.1:9000", "api.example.com:443");
        assertEquals("http://127.0.0.1:9000/x", HttpRequestTool.allowedUri("http://127.0.0.1:9000/x", allowed).toString());
        assertEquals("https://API.example.com/p", HttpRequestTool.allowedUri("https://API.example.com/p", allowed).toString());
        assertThrows(ToolFailure.class, () -> HttpRequestTool.allowedUri("http://127.0.0.1:9001/x", allowed));
        assertThrows(ToolFailure.class, () -> HttpRequestTool.allowedUri("http://api.example.com/p", allowed));
        assertThrows(ToolFailure.class, () -> HttpRequestTool.allowedUri("file:///etc/passwd", allowed));
        assertThrows(ToolFailure.class, () -> HttpRequestTool.allowedUri("not a url", allowed));
        assertThrows(ToolFailure.class, () -> HttpRequestTool.allowedUri("http://127.0.0.1:9000/x", List.of()));
    }
}
