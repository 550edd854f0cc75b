package dev.agentbatch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void ourMapperAndOpenAisUseTheSharedBoundedBufferPool() {
        assertSame(Json.BUFFERS, Json.MAPPER.getFactory()._getRecyclerPool());
        assertSame(Json.BUFFERS, Json.openAiMapper().getFactory()._getRecyclerPool());
    }

    /** A thread per running task must not mean a set of Jackson buffers per thread: what is kept is bounded. */
    @Test
    void manyThreadsWritingLargeValuesKeepAtMostThePoolsBound() throws Exception {
        String big = "x".repeat(20 * 1024);
        int threads = 200;
        CountDownLatch ready = new CountDownLatch(threads);
        List<Thread> started = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ready.countDown();
                try {
                    ready.await();
                    String json = Json.write(Map.of("content", big));
                    assertEquals(big, Json.read(json, Map.class).get("content"));
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            });
            t.start();
            started.add(t);
        }
        for (Thread t : started) {
            t.join();
        }
        assertTrue(errors.isEmpty(), () -> "failed: " + errors);
        int pooled = Json.BUFFERS.pooledCount();
        assertTrue(pooled >= 1 && pooled <= 64, "buffer sets kept after 200 threads: " + pooled);
    }
}
