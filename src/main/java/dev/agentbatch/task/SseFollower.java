package dev.agentbatch.task;

import java.util.List;

import dev.agentbatch.config.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * One SSE client following one task, or every task ({@code taskId} null): writes each event with its id, replays what
 * a reconnecting client missed (its {@code Last-Event-ID}), never sends an id twice or out of order, and, for one
 * task, hangs up after a terminal state. The relay sends a comment line now and then ({@link #keepAlive()}).
 */
final class SseFollower implements TaskEvents.Follower {

    private final Long taskId;
    private final SseEventSink sink;
    private final Sse sse;
    private final TaskEvents events;
    private long lastSent;

    SseFollower(Long taskId, SseEventSink sink, Sse sse, TaskEvents events) {
        this.taskId = taskId;
        this.sink = sink;
        this.sse = sse;
        this.events = events;
    }

    /**
     * Follows first, then catches up, holding this follower's lock meanwhile: the relay's deliveries wait, so nothing
     * can fall between the catch-up and the live events, or come before what it follows.
     *
     * @param missed   what happened after the client's Last-Event-ID, or null when it has none
     * @param snapshot the task as it is, sent first (event {@code task}) when there is nothing to replay
     * @param snapshotId the id of the task's latest event when the snapshot was read
     */
    void start(List<TaskEvent> missed, Object snapshot, long snapshotId) {
        synchronized (this) {
            if (taskId == null) {
                events.followAll(this);
            } else {
                events.follow(taskId, this);
            }
            if (missed != null) {
                for (TaskEvent e : missed) {
                    send(e);
                    if (sink.isClosed()) {
                        return;
                    }
                }
            } else {
                write(taskId == null ? "hello" : "task", snapshotId, Json.write(snapshot));
                lastSent = snapshotId;
                if (snapshot instanceof TaskView view && view.state().isTerminal()) {
                    end();
                }
            }
        }
    }

    @Override
    public synchronized void accept(TaskEvent event) {
        if (sink.isClosed()) {
            unfollow();
            return;
        }
        send(event);
    }

    /** A comment line ({@code : keep-alive}), which clients ignore: keeps a quiet stream open, finds a gone client. */
    @Override
    public synchronized void keepAlive() {
        if (sink.isClosed()) {
            unfollow();
            return;
        }
        try {
            write(sse.newEventBuilder().comment("keep-alive").build());
        } catch (RuntimeException e) {
            unfollow(); // closed meanwhile
        }
    }

    private void send(TaskEvent event) {
        if (event.id() <= lastSent) {
            return;
        }
        write(event.type(), event.id(), Json.write(event));
        lastSent = event.id();
        if (taskId != null && event.isTerminal()) {
            end();
        }
    }

    private void write(String name, long id, String json) {
        write(sse.newEventBuilder().id(Long.toString(id)).name(name).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, json).build());
    }

    private void write(OutboundSseEvent event) {
        sink.send(event).whenComplete((ok, failure) -> {
            if (failure != null) {
                unfollow(); // the client went away
            }
        });
    }

    private void unfollow() {
        if (taskId == null) {
            events.unfollowAll(this);
        } else {
            events.unfollow(taskId, this);
        }
    }

    private void end() {
        unfollow();
        sink.close();
    }
}
