package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesNestedObjectsAndArrays() {
        Object parsed = Json.parse(" {\"task\": {\"id\": 12, \"tools\": [\"a\", [1, {}], []], \"usage\": {}}} ");
        Node task = Node.of(parsed).get("task");
        assertEquals(12L, task.get("id").raw());
        assertEquals(List.of("a", List.of(1L, Map.of()), List.of()), task.get("tools").raw());
        assertTrue(task.get("usage").isObject());
    }

    @Test
    void keepsKeyOrder() {
        Map<?, ?> map = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(map.keySet()));
    }

    @Test
    void decodesEscapes() {
        assertEquals("q\" b\\ s/ \b\f\n\r\t", Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\""));
        assertEquals("é€", Json.parse("\"\\u00e9\\u20AC\""));
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\""));
        assertEquals("ünïcödé raw", Json.parse("\"ünïcödé raw\""));
    }

    @Test
    void parsesNumbers() {
        assertEquals(0L, Json.parse("0"));
        assertEquals(-42L, Json.parse("-42"));
        assertEquals(9223372036854775807L, Json.parse("9223372036854775807"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(1.5, Json.parse("1.5"));
        assertEquals(-2.5e-3, Json.parse("-2.5e-3"));
        assertEquals(1e10, Json.parse("1E+10"));
    }

    @Test
    void parsesLiterals() {
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertEquals(Boolean.FALSE, Json.parse("false"));
        assertNull(Json.parse("null"));
        List<?> list = (List<?>) Json.parse("[null, true, false]");
        assertEquals(Arrays.asList(null, true, false), list);
    }

    @Test
    void rejectsMalformedInputWithOffset() {
        assertMalformed("", "offset 0: unexpected end of input");
        assertMalformed("{\"a\":1,}", "offset 7: unexpected '}', expected a string key");
        assertMalformed("[1 2]", "offset 3: unexpected '2', expected ',' or ']'");
        assertMalformed("{\"a\" 1}", "expected ':'");
        assertMalformed("\"open", "unterminated string");
        assertMalformed("\"bad \\x\"", "invalid escape '\\x'");
        assertMalformed("\"\\u12G4\"", "4 hex digits");
        assertMalformed("\"tab\there\"", "control character U+0009");
        assertMalformed("01", "offset 0: invalid number");
        assertMalformed("1.e5", "invalid number");
        assertMalformed("-", "invalid number");
        assertMalformed("1.", "invalid number");
        assertMalformed("tru", "expected a value");
        assertMalformed("{} {}", "after the JSON value");
        assertMalformed("<html>", "offset 0: unexpected '<'");
        assertMalformed("[".repeat(1000), "nesting deeper");
    }

    private static void assertMalformed(String text, String expected) {
        Json.MalformedJsonException e = assertThrows(Json.MalformedJsonException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("malformed JSON at offset "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage() + " should contain " + expected);
    }

    @Test
    void writesCompactAndEscaped() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", "say \"hi\"\n\\ \u0001 é");
        body.put("priority", 3);
        body.put("tools", List.of("a", "b"));
        body.put("none", null);
        body.put("ok", true);
        body.put("ratio", 0.5);
        body.put("nested", Map.of());
        assertEquals("{\"input\":\"say \\\"hi\\\"\\n\\\\ \\u0001 é\",\"priority\":3,\"tools\":[\"a\",\"b\"],"
                + "\"none\":null,\"ok\":true,\"ratio\":0.5,\"nested\":{}}", Json.write(body));
    }

    @Test
    void writesPretty() {
        assertEquals("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": []\n}",
                Json.pretty(Json.parse("{\"a\":[1,{\"b\":null}],\"c\":[]}")));
    }

    @Test
    void roundTrips() {
        String text = "{\"id\":12,\"s\":\"\\u2028 \\\" \\\\ \\t\",\"n\":[-1,2.25,true,false,null],\"o\":{\"k\":{}}}";
        Object parsed = Json.parse(text);
        assertEquals(parsed, Json.parse(Json.write(parsed)));
        assertEquals(parsed, Json.parse(Json.pretty(parsed)));
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> Json.write(new Object())));
    }
}
