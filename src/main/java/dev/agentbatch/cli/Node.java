package dev.agentbatch.cli;

import java.util.List;
import java.util.Map;

/**
 * A null-safe view of a parsed JSON value. The API marks many fields nullable and may leave
 * them out, so printers walk {@code task.get("usage").get("totalTokens")} without a guard
 * at every step: a missing link yields an absent node, never an exception.
 */
final class Node {

    private static final Node ABSENT = new Node(null);

    private final Object value;

    private Node(Object value) {
        this.value = value;
    }

    static Node of(Object value) {
        if (value instanceof Node node) {
            return node;
        }
        return value == null ? ABSENT : new Node(value);
    }

    static Node parse(String json) {
        return of(Json.parse(json));
    }

    Node get(String key) {
        return value instanceof Map<?, ?> map ? of(map.get(key)) : ABSENT;
    }

    List<Node> items() {
        return value instanceof List<?> list ? list.stream().map(Node::of).toList() : List.of();
    }

    /** Absent and JSON {@code null} are the same to a reader of the API. */
    boolean isNull() {
        return value == null;
    }

    boolean isObject() {
        return value instanceof Map;
    }

    Object raw() {
        return value;
    }

    /** Scalars as they read; objects and arrays as compact JSON; absent as {@code null}. */
    String text() {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map || value instanceof List) {
            return Json.write(value);
        }
        return String.valueOf(value);
    }

    String text(String fallback) {
        String text = text();
        return text == null ? fallback : text;
    }

    /** Tolerates numbers sent as strings, since the contract does not pin that down for ids. */
    Long asLong() {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && s.trim().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(s.trim());
        }
        return null;
    }

    long asLong(long fallback) {
        Long l = asLong();
        return l == null ? fallback : l;
    }

    boolean isTrue() {
        return Boolean.TRUE.equals(value) || "true".equals(value);
    }

    @Override
    public String toString() {
        return text("null");
    }
}
