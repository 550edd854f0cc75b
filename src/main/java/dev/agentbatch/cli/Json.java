package dev.agentbatch.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Jackson for the client, and the few null-safe reads its printers need. The API marks many fields nullable and
 * may leave them out, so printers read {@code task.path("usage").path("totalTokens")}: a missing link is a
 * {@code MissingNode}, never an exception, and {@link #text} treats absent and JSON {@code null} alike.
 */
final class Json {

    /** Strict: {@code {} trailing text} is not JSON (a tool's text that merely starts with a brace stays text). */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Two-space indentation, {@code "key": value}, {@code []} and {@code {}} when empty: what jq users expect. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /** @throws JsonProcessingException with the location of the first error */
    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    static String pretty(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Scalars as they read, objects and arrays as compact JSON, absent or {@code null} as {@code null}. */
    static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    static String text(JsonNode node, String fallback) {
        String text = text(node);
        return text == null ? fallback : text;
    }

    /** Tolerates numbers sent as strings, since the contract does not pin that down for ids. */
    static Long asLong(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.asText().trim().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(node.asText().trim());
        }
        return null;
    }

    static long asLong(JsonNode node, long fallback) {
        Long value = asLong(node);
        return value == null ? fallback : value;
    }

    static boolean isTrue(JsonNode node) {
        return node != null
                && (node.isBoolean() && node.booleanValue() || node.isTextual() && "true".equals(node.asText()));
    }

    /** The elements of an array; nothing for anything else. */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(items::add);
        }
        return items;
    }
}
