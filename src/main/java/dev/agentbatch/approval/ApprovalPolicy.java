package dev.agentbatch.approval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.config.Json;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.tools.AgentTool;
import dev.agentbatch.tools.ToolRegistry;

/**
 * Which tool calls of a task need a person's approval. One rule per tool:
 * <ul>
 * <li>{@code clean_logs}: every call of the tool;</li>
 * <li>{@code http_request:POST+DELETE}: the calls whose subject (for http_request, the method) is one of these;</li>
 * <li>{@code http_request:!GET+HEAD}: every call but those (here: every method that may change something).</li>
 * </ul>
 * A call whose subject cannot be read (bad arguments) is gated by any rule of its tool: when in doubt, ask. The policy
 * is fixed when the task is submitted and stored with it ({@link #normalized()}), so every execution, on any node,
 * gates the same calls.
 */
public final class ApprovalPolicy {

    public static final ApprovalPolicy NONE = new ApprovalPolicy(Map.of());

    /** @param subjects upper case; empty: every call of the tool */
    private record Rule(String tool, boolean except, Set<String> subjects) {

        boolean gates(String subject) {
            if (subjects.isEmpty() || subject == null) {
                return true;
            }
            return except != subjects.contains(subject);
        }

        @Override
        public String toString() {
            return subjects.isEmpty() ? tool : tool + ":" + (except ? "!" : "") + String.join("+", subjects);
        }
    }

    private final Map<String, Rule> rules;

    private ApprovalPolicy(Map<String, Rule> rules) {
        this.rules = rules;
    }

    /**
     * Parses and checks rules as a client wrote them.
     *
     * @throws IllegalArgumentException naming the bad rule and what is allowed
     */
    public static ApprovalPolicy of(Collection<String> entries, ToolRegistry registry) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String entry : entries) {
            Rule rule = parse(entry);
            AgentTool tool = registry.find(rule.tool()).orElseThrow(() -> new IllegalArgumentException(
                    "approval rule '" + entry + "' names an unknown tool; known tools: " + registry.names()));
            Set<String> known = tool.approvalSubjects();
            if (!rule.subjects().isEmpty() && known.isEmpty()) {
                throw new IllegalArgumentException("approval rule '" + entry + "': " + rule.tool()
                        + " takes no qualifier; write just '" + rule.tool() + "'");
            }
            for (String subject : rule.subjects()) {
                if (!known.contains(subject)) {
                    throw new IllegalArgumentException("approval rule '" + entry + "': " + rule.tool() + " has no '"
                            + subject + "'; it knows " + new TreeSet<>(known));
                }
            }
            if (rules.put(rule.tool(), rule) != null) {
                throw new IllegalArgumentException("approval rules name " + rule.tool() + " twice; write one rule per tool");
            }
        }
        return new ApprovalPolicy(Map.copyOf(rules));
    }

    /** The policy stored with a task (null or empty: none). Trusted: it was checked at submission. */
    public static ApprovalPolicy stored(String normalized) {
        if (normalized == null || normalized.isBlank()) {
            return NONE;
        }
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (String entry : normalized.split(",")) {
            Rule rule = parse(entry);
            rules.put(rule.tool(), rule);
        }
        return new ApprovalPolicy(Map.copyOf(rules));
    }

    private static Rule parse(String entry) {
        String text = entry == null ? "" : entry.trim();
        int colon = text.indexOf(':');
        String tool = colon < 0 ? text : text.substring(0, colon).trim();
        if (tool.isEmpty()) {
            throw new IllegalArgumentException("an approval rule is empty; write a tool name such as clean_logs,"
                    + " or http_request:!GET");
        }
        if (colon < 0) {
            return new Rule(tool, false, Set.of());
        }
        String qualifier = text.substring(colon + 1).trim();
        boolean except = qualifier.startsWith("!");
        Set<String> subjects = new TreeSet<>();
        for (String s : (except ? qualifier.substring(1) : qualifier).split("\\+")) {
            if (!s.isBlank()) {
                subjects.add(s.trim().toUpperCase(Locale.ROOT));
            }
        }
        if (subjects.isEmpty()) {
            throw new IllegalArgumentException("approval rule '" + entry + "' has nothing after ':'; write for example"
                    + " " + tool + ":POST+DELETE or " + tool + ":!GET");
        }
        return new Rule(tool, except, subjects);
    }

    /** Stored with the task; empty when nothing is gated. */
    public String normalized() {
        return String.join(",", rules.values().stream().map(Rule::toString).toList());
    }

    public List<String> rules() {
        return rules.values().stream().map(Rule::toString).toList();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The calls of a turn that need an approval, in the turn's order. */
    public List<ToolCall> gated(List<ToolCall> calls, ToolRegistry registry) {
        List<ToolCall> gated = new ArrayList<>();
        for (ToolCall call : calls) {
            if (gates(call, registry)) {
                gated.add(call);
            }
        }
        return gated;
    }

    public boolean gates(ToolCall call, ToolRegistry registry) {
        Rule rule = rules.get(call.name());
        if (rule == null) {
            return false;
        }
        if (rule.subjects().isEmpty()) {
            return true;
        }
        String subject = registry.find(call.name()).map(tool -> tool.approvalSubject(arguments(call))).orElse(null);
        return rule.gates(subject);
    }

    private static JsonNode arguments(ToolCall call) {
        try {
            return Json.parse(call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments());
        } catch (JsonProcessingException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "none" : normalized();
    }
}
