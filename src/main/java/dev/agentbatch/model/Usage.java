package dev.agentbatch.model;

public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
