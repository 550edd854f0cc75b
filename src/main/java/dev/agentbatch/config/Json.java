package dev.agentbatch.config;

import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson mapper for what we store as JSON (tool calls, tool arguments, journaled model turns).
 * It is the Jackson that openai-java brings; the server's own Jackson modules are excluded from the
 * deployment (WEB-INF/jboss-deployment-structure.xml) so both agree on one version, and the REST API
 * reads and writes JSON with it too ({@link JsonProvider}).
 */
public final class Json {

    /**
     * Jackson's buffers (8 KB byte buffers, char buffers that grow to the longest string written) come from a pool that
     * is bounded and shared by all threads, not Jackson's default of one set per thread: a node runs a batch thread per
     * running task, and a set per thread held 60–80 KB of each running task's memory for no gain (measured in M).
     */
    public static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.newBoundedPool(64);

    public static final ObjectMapper MAPPER = new ObjectMapper(new JsonFactory().setRecyclerPool(BUFFERS))
            .registerModule(new JavaTimeModule())
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
            .configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false)
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    /** openai-java's own mapper (its modules and settings), on the shared buffer pool above. */
    public static JsonMapper openAiMapper() {
        JsonMapper mapper = com.openai.core.ObjectMappers.jsonMapper();
        mapper.getFactory().setRecyclerPool(BUFFERS);
        return mapper;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON the model produced; the caller decides what a malformed value means. */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }
}
