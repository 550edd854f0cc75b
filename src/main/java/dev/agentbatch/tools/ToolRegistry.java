package dev.agentbatch.tools;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.agentbatch.model.ToolSpec;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/** Every {@link AgentTool} bean of the deployment, by name. */
@ApplicationScoped
public class ToolRegistry {

    @Inject
    @Any
    Instance<AgentTool> beans;

    private final Map<String, AgentTool> tools = new TreeMap<>();

    @PostConstruct
    void collect() {
        for (AgentTool tool : beans) {
            tools.put(tool.name(), tool);
        }
    }

    /** A registry of these tools (outside a container: tests). */
    public static ToolRegistry of(AgentTool... tools) {
        ToolRegistry registry = new ToolRegistry();
        for (AgentTool tool : tools) {
            registry.tools.put(tool.name(), tool);
        }
        return registry;
    }

    public Optional<AgentTool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public boolean exists(String name) {
        return tools.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(tools.keySet());
    }

    /** The tools described to the model: all of them, or the task's allow-list. */
    public List<ToolSpec> specs(List<String> allowList) {
        return tools.values().stream()
                .filter(t -> allowList == null || allowList.contains(t.name()))
                .map(t -> new ToolSpec(t.name(), t.description(), t.parameters()))
                .toList();
    }
}
