package dev.agentbatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One connection to {@code GET /api/tasks/{id}/events} (server-sent events). A daemon thread reads the body line by
 * line into a queue, so the follower waits on the queue with its own deadline ({@code --timeout}) and never
 * blocks in a read it cannot bound. What the connection yields is a sequence of {@link Event}s, then one
 * {@link End}.
 */
final class TaskEventStream implements AutoCloseable {

    /** What the stream yields: an event, or its end. */
    sealed interface Item permits Event, End {
    }

    /** One server-sent event; {@code id} is null when the server sent none (or before it sends ids). */
    record Event(String name, String id, String data) implements Item {
    }

    /** The stream ended: the server closed it, or the connection broke ({@code reason} says which). */
    record End(String reason) implements Item {
    }

    /** The server answered, but not with a stream: {@code status} tells the follower whether to try again. */
    static final class Refused extends IOException {

        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status) {
            super("HTTP " + status);
            this.status = status;
        }

        /** 5xx may pass; anything else (404: an older server, 406…) means this server has no stream to offer. */
        boolean permanent() {
            return status < 500;
        }
    }

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final InputStream body;
    private volatile boolean closed;

    private TaskEventStream(InputStream body) {
        this.body = body;
    }

    /**
     * @param lastEventId the id of the last event received, sent as {@code Last-Event-ID}; or null
     * @param timeout     how long the server may take to answer
     * @throws Refused when the server answers anything but 200
     * @throws IOException when it cannot be reached, or does not answer in time
     */
    static TaskEventStream open(ApiClient api, long taskId, String lastEventId, Duration timeout)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = api.openEvents("/api/tasks/" + taskId + "/events", lastEventId, timeout);
        if (response.statusCode() != 200) {
            response.body().close();
            throw new Refused(response.statusCode());
        }
        TaskEventStream stream = new TaskEventStream(response.body());
        Thread reader = new Thread(stream::read, "agent-batch-events-" + taskId);
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /** @return the next item, or null when {@code wait} passed first */
    Item next(Duration wait) throws InterruptedException {
        return items.poll(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void read() {
        Parser parser = new Parser();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Event event = parser.line(line);
                if (event != null) {
                    items.add(event);
                }
            }
            items.add(new End("the server closed the stream"));
        } catch (IOException | UncheckedIOException e) {
            if (!closed) {
                items.add(new End(Problems.describe(e)));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is only to let the reader thread go; it is a daemon either way
        }
    }

    /**
     * The text/event-stream format, as far as this client needs it (WHATWG HTML, "Server-sent events"): fields
     * {@code event}, {@code data} (lines joined with \n), {@code id}; comments and {@code retry} ignored; a blank
     * line dispatches the event, unless it had no data.
     */
    static final class Parser {

        private String name;
        private String id;
        private StringBuilder data;

        /** @return the event this line completes, or null */
        Event line(String line) {
            if (line.isEmpty()) {
                Event event = data == null ? null : new Event(name == null ? "message" : name, id, data.toString());
                name = null;
                data = null;
                id = null;
                return event;
            }
            if (line.startsWith(":")) {
                return null;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
            switch (field) {
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> id = value.indexOf('\0') < 0 ? value : id;
                default -> {
                    // "retry" and unknown fields: ignored, as the format says
                }
            }
            return null;
        }
    }
}
