package dev.agentbatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The list's filter as the query string and a bulk request's "filter" give it: strict, and never SQL. */
class TaskFilterTest {

    @Test
    void noParametersIsEveryTaskNewestFirst() {
        assertEquals(TaskFilter.NONE, TaskFilter.parse(Map.of()));
    }

    @Test
    void listsComeRepeatedOrCommaSeparated() {
        // given
        Map<String, List<String>> query = Map.of("state", List.of("failed,STOPPED", "failed"), "priority", List.of("1", "9"),
                "exitStatus", List.of("iteration_limit"));

        // when
        TaskFilter f = TaskFilter.parse(query);

        // then
        assertEquals(EnumSet.of(TaskState.FAILED, TaskState.STOPPED), f.states());
        assertEquals(Set.of(1, 9), f.priorities());
        assertEquals(Set.of("ITERATION_LIMIT"), f.exitStatuses());
    }

    @Test
    void timesAreInstantsOrUtcDateTimesOrDates() {
        TaskFilter f = TaskFilter.parse(Map.of("from", List.of("2026-11-29"), "to", List.of("2026-11-29T07:30"),
                "time", List.of("created")));
        assertEquals(Instant.parse("2026-11-29T00:00:00Z"), f.from());
        assertEquals(Instant.parse("2026-11-29T07:30:00Z"), f.to());
        assertEquals(TaskFilter.TimeField.CREATED, f.time());
        assertEquals(Instant.parse("2026-11-29T07:30:00Z"), TaskFilter.time("2026-11-29T07:30:00Z", "to"));
    }

    @Test
    void sortTakesADirection() {
        TaskFilter up = TaskFilter.parse(Map.of("sort", List.of("updatedAt")));
        assertEquals(TaskFilter.SortKey.UPDATED, up.sort());
        assertTrue(!up.descending());
        TaskFilter down = TaskFilter.parse(Map.of("sort", List.of("-tokens")));
        assertEquals(TaskFilter.SortKey.TOKENS, down.sort());
        assertTrue(down.descending());
    }

    @Test
    void likeWildcardsInTheTextAreEscaped() {
        assertEquals("%50\\% off\\_now\\\\%", TaskFilter.parse(Map.of("q", List.of("50% OFF_now\\"))).likePattern());
        assertNull(TaskFilter.NONE.likePattern());
    }

    @Test
    void badValuesAreRefusedWithWhatIsAllowed() {
        assertEquals(400, assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("state", List.of("DONE")))).status());
        assertTrue(assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("sort", List.of("input; drop table x"))))
                .getMessage().contains("updatedAt"));
        assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("priority", List.of("10"))));
        assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("from", List.of("yesterday"))));
        assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("from", List.of("2026-11-29"), "to", List.of("2026-11-28"))));
        assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("time", List.of("started"))));
        assertThrows(ApiProblem.class, () -> TaskFilter.parse(Map.of("q", List.of("a", "b"))));
    }
}
