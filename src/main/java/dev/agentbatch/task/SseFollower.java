package dev.agentbatch.task;

import java.util.function.Consumer;

import dev.agentbatch.config.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** One SSE client following one task: writes each event, and hangs up after a terminal state. */
final class SseFollower implements Consumer<TaskEvent> {

    private final long taskId;
    private final SseEventSink sink;
    private final Sse sse;
    private final TaskEvents events;

    SseFollower(long taskId, SseEventSink sink, Sse sse, TaskEvents events) {
        this.taskId = taskId;
        this.sink = sink;
        this.sse = sse;
        this.events = events;
    }

    /** Follow first, then send the snapshot: nothing can fall between the two. */
    void start(TaskView snapshot) {
        events.follow(taskId, this);
        synchronized (this) {
            send("task", Json.write(snapshot));
            if (snapshot.state().isTerminal()) {
                end();
            }
        }
    }

    @Override
    public synchronized void accept(TaskEvent event) {
        if (sink.isClosed()) {
            events.unfollow(taskId, this);
            return;
        }
        send(event.type(), Json.write(event));
        if (event.isTerminal()) {
            end();
        }
    }

    private void send(String name, String json) {
        sink.send(sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, json).build())
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        events.unfollow(taskId, this); // the client went away
                    }
                });
    }

    private void end() {
        events.unfollow(taskId, this);
        sink.close();
    }
}
