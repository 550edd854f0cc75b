package dev.agentbatch.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agentbatch.model.ToolCall;
import dev.agentbatch.tools.CheckDiskTool;
import dev.agentbatch.tools.CleanLogsTool;
import dev.agentbatch.tools.HttpRequestTool;
import dev.agentbatch.tools.ToolRegistry;

/** Which calls a task's approval rules gate, and which rules are refused at submission. */
class ApprovalPolicyTest {

    private static final ToolRegistry TOOLS = ToolRegistry.of(new CheckDiskTool(), new CleanLogsTool(), new HttpRequestTool());

    private static ToolCall http(String method) {
        return new ToolCall("c-" + method, "http_request", "{\"method\":\"" + method + "\",\"url\":\"http://x\"}");
    }

    @Test
    void aToolRuleGatesEveryCallOfTheToolAndNoOther() {
        ApprovalPolicy policy = ApprovalPolicy.of(List.of("clean_logs"), TOOLS);

        assertTrue(policy.gates(new ToolCall("c1", "clean_logs", "{\"olderThanDays\":7}"), TOOLS));
        assertFalse(policy.gates(new ToolCall("c2", "check_disk", "{}"), TOOLS));
        assertEquals("clean_logs", policy.normalized());
    }

    @Test
    void httpRequestIsGatedByMethodWithExceptions() {
        ApprovalPolicy policy = ApprovalPolicy.of(List.of("http_request:!get+head"), TOOLS);

        assertFalse(policy.gates(http("GET"), TOOLS));
        assertFalse(policy.gates(http("HEAD"), TOOLS));
        assertTrue(policy.gates(http("POST"), TOOLS));
        assertTrue(policy.gates(http("DELETE"), TOOLS));
        // arguments the tool cannot read: when in doubt, ask
        assertTrue(policy.gates(new ToolCall("c", "http_request", "not json"), TOOLS));
        assertEquals("http_request:!GET+HEAD", policy.normalized());
        assertEquals(policy.normalized(), ApprovalPolicy.stored(policy.normalized()).normalized());
    }

    @Test
    void httpRequestIsGatedByNamedMethods() {
        ApprovalPolicy policy = ApprovalPolicy.of(List.of("http_request:POST+DELETE", "clean_logs"), TOOLS);

        assertTrue(policy.gates(http("POST"), TOOLS));
        assertFalse(policy.gates(http("PUT"), TOOLS));
        assertEquals(List.of("c-POST", "c-DELETE"), policy.gated(List.of(http("GET"), http("POST"), http("DELETE")), TOOLS)
                .stream().map(ToolCall::id).toList());
    }

    @Test
    void badRulesAreRefusedWithWhatToWrite() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.of(List.of("rm_rf"), TOOLS))
                .getMessage().contains("unknown tool"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.of(List.of("clean_logs:POST"), TOOLS))
                .getMessage().contains("takes no qualifier"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.of(List.of("http_request:FETCH"), TOOLS))
                .getMessage().contains("has no 'FETCH'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ApprovalPolicy.of(List.of("http_request:"), TOOLS))
                .getMessage().contains("nothing after ':'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ApprovalPolicy.of(List.of("clean_logs", "clean_logs"), TOOLS)).getMessage().contains("twice"));
    }

    @Test
    void noRulesGateNothing() {
        assertTrue(ApprovalPolicy.stored(null).isEmpty());
        assertTrue(ApprovalPolicy.stored("").gated(List.of(http("POST")), TOOLS).isEmpty());
    }
}
