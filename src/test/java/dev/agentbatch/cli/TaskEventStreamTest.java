package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The text/event-stream format as the client reads it. */
class TaskEventStreamTest {

    private static List<TaskEventStream.Event> parse(String stream) {
        TaskEventStream.Parser parser = new TaskEventStream.Parser();
        List<TaskEventStream.Event> events = new ArrayList<>();
        stream.lines().forEach(line -> {
            TaskEventStream.Event event = parser.line(line);
            if (event != null) {
                events.add(event);
            }
        });
        return events;
    }

    @Test
    void readsNamedEventsWithIdsAndData() {
        List<TaskEventStream.Event> events = parse("""
                event: task
                data: {"id": 12, "state": "PENDING"}

                : a comment
                retry: 3000
                event: state
                id: 41
                data: {"type": "state",
                data:  "state": "RUNNING"}

                """);
        assertEquals(List.of(new TaskEventStream.Event("task", null, "{\"id\": 12, \"state\": \"PENDING\"}"),
                new TaskEventStream.Event("state", "41", "{\"type\": \"state\",\n \"state\": \"RUNNING\"}")), events);
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndNamesDefaultToMessage() {
        assertEquals(List.of(new TaskEventStream.Event("message", "2", "x")), parse("""
                event: state
                id: 1

                id: 2
                data:x

                """));
    }

    @Test
    void anUnfinishedEventIsNotDispatched() {
        TaskEventStream.Parser parser = new TaskEventStream.Parser();
        assertNull(parser.line("event: state"));
        assertNull(parser.line("data: {}"));
    }
}
