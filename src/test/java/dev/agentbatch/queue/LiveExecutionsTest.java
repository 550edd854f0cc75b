package dev.agentbatch.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class LiveExecutionsTest {

    private final LiveExecutions live = new LiveExecutions();

    @Test
    void aRunningExecutionIsLiveAndNotEnded() {
        live.begin(7);

        assertTrue(live.contains(7));
        assertFalse(live.endedHere(7, Instant.now().plus(LiveExecutions.END_WRITE_GRACE).plusSeconds(1)));
    }

    @Test
    void anExecutionThatJustEndedIsNotAnOrphanWhileJBeretWritesItsEnd() {
        live.begin(7);
        live.end(7);

        assertFalse(live.contains(7));
        assertFalse(live.endedHere(7, Instant.now()), "its row may still say STOPPING for a moment");
    }

    @Test
    void anExecutionEndedLongerAgoThanTheGraceWithItsRowStillRunningIsAnOrphan() {
        live.begin(7);
        live.end(7);

        assertTrue(live.endedHere(7, Instant.now().plus(LiveExecutions.END_WRITE_GRACE).plusSeconds(1)));
        assertFalse(live.endedHere(8, Instant.now().plus(LiveExecutions.END_WRITE_GRACE).plusSeconds(1)), "never ran here");
    }
}
