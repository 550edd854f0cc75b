package dev.agentbatch.model;

public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role ofWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
