package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** What the client relies on from Jackson: key order, numbers, null-safe reads, and the pretty format of --json. */
class JsonTest {

    @Test
    void readsNestedObjectsNullSafely() throws JsonProcessingException {
        JsonNode task = Json.parse(" {\"task\": {\"id\": 12, \"tools\": [\"a\", [1, {}], []], \"usage\": {}}} ")
                .path("task");
        assertEquals(12L, Json.asLong(task.path("id")));
        assertEquals(List.of("a", "[1,{}]", "[]"), Json.items(task.path("tools")).stream().map(Json::text).toList());
        assertTrue(task.path("usage").isObject());
        assertNull(Json.text(task.path("usage").path("totalTokens").path("deeper")), "a missing link is absent");
        assertEquals("0", Json.text(task.path("nothing"), "0"));
        assertEquals(List.of(), Json.items(task.path("id")), "a scalar has no items");
    }

    @Test
    void absentAndNullReadAlike() throws JsonProcessingException {
        JsonNode task = Json.parse("{\"error\": null, \"ok\": true, \"flag\": \"true\", \"n\": 1.5}");
        assertNull(Json.text(task.path("error")));
        assertNull(Json.text(task.path("missing")));
        assertTrue(Json.isTrue(task.path("ok")) && Json.isTrue(task.path("flag")));
        assertFalse(Json.isTrue(task.path("error")));
        assertEquals("1.5", Json.text(task.path("n")));
    }

    @Test
    void keepsKeyOrder() throws JsonProcessingException {
        JsonNode node = Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("z", "a", "m"), keys);
        assertEquals("{\"z\":1,\"a\":2,\"m\":3}", Json.write(node));
    }

    @Test
    void decodesEscapes() throws JsonProcessingException {
        assertEquals("q\" b\\ s/ \b\f\n\r\t", Json.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t\"").asText());
        assertEquals("é€", Json.parse("\"\\u00e9\\u20AC\"").asText());
        assertEquals("😀", Json.parse("\"\\ud83d\\ude00\"").asText());
    }

    @Test
    void readsNumbersAndIdsSentAsStrings() throws JsonProcessingException {
        assertEquals(9223372036854775807L, Json.asLong(Json.parse("9223372036854775807")));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808").bigIntegerValue());
        assertNull(Json.asLong(Json.parse("9223372036854775808")), "too large for a long");
        assertEquals(42L, Json.asLong(Json.parse("\" 42 \"")));
        assertNull(Json.asLong(Json.parse("\"forty-two\"")));
        assertEquals(-2.5e-3, Json.parse("-2.5e-3").doubleValue());
    }

    @Test
    void rejectsMalformedInputWithItsLocation() {
        for (String text : List.of("{\"a\":1,}", "[1 2]", "\"open", "01", "tru", "{} {}", "<html>")) {
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.parse(text), text);
            assertTrue(e.getMessage().contains("line: 1"), e.getMessage());
        }
        JsonProcessingException deep = assertThrows(JsonProcessingException.class, () -> Json.parse("[".repeat(1001)));
        assertTrue(deep.getMessage().contains("nesting depth"), deep.getMessage());
    }

    @Test
    void writesCompactAndEscaped() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", "say \"hi\"\n\\ \u0001 é");
        body.put("priority", 3L);
        body.put("tools", List.of("a", "b"));
        body.put("none", null);
        body.put("ok", true);
        body.put("ratio", 0.5);
        body.put("nested", Map.of());
        assertEquals("{\"input\":\"say \\\"hi\\\"\\n\\\\ \\u0001 é\",\"priority\":3,\"tools\":[\"a\",\"b\"],"
                + "\"none\":null,\"ok\":true,\"ratio\":0.5,\"nested\":{}}", Json.write(body));
    }

    @Test
    void writesPrettyTheWayJqUsersReadIt() throws JsonProcessingException {
        assertEquals("{\n  \"a\": [\n    1,\n    {\n      \"b\": null\n    }\n  ],\n  \"c\": [],\n  \"d\": {}\n}",
                Json.pretty(Json.parse("{\"a\":[1,{\"b\":null}],\"c\":[],\"d\":{}}")));
    }

    @Test
    void roundTrips() throws JsonProcessingException {
        String text = "{\"id\":12,\"s\":\"\\u2028 \\\" \\\\ \\t\",\"n\":[-1,2.25,true,false,null],\"o\":{\"k\":{}}}";
        JsonNode parsed = Json.parse(text);
        assertEquals(parsed, Json.parse(Json.write(parsed)));
        assertEquals(parsed, Json.parse(Json.pretty(parsed)));
    }
}
