package dev.agentbatch.cli;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * JSON for a client that may depend on nothing but the JDK. Values are plain Java objects:
 * {@link LinkedHashMap} (key order kept, so {@code --json} output reads like the server's),
 * {@link ArrayList}, {@link String}, {@link Long} (or {@link BigInteger} when too large),
 * {@link Double}, {@link Boolean} and {@code null}; {@link Node} navigates them null-safely.
 */
final class Json {

    private Json() {
    }

    /** @throws MalformedJsonException with the offset and what was expected there */
    static Object parse(String text) {
        return JsonParser.parse(text);
    }

    static String write(Object value) {
        return JsonWriter.write(value, false);
    }

    static String pretty(Object value) {
        return JsonWriter.write(value, true);
    }

    /** Unchecked, so a server answer that is not JSON surfaces as one clear line. */
    static final class MalformedJsonException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message);
        }
    }
}
