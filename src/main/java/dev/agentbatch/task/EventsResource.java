package dev.agentbatch.task;

import java.util.Map;

import dev.agentbatch.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * {@code GET /api/events}: one server-sent event stream of the changes to every task (the console's live view),
 * beside the per-task one. It starts with {@code hello} (the id of the newest event), or, for a client that reconnects
 * with {@code Last-Event-ID}, with what it missed; then every {@code state} and {@code iteration} event, from any node.
 */
@Path("/events")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
public class EventsResource {

    @Inject
    TaskEvents events;
    @Inject
    EventLog log;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void all(@HeaderParam("Last-Event-ID") String lastEventId, @Context SseEventSink sink, @Context Sse sse) {
        Long after = lastEventId(lastEventId);
        SseFollower follower = new SseFollower(null, sink, sse, events);
        if (after != null) {
            follower.start(log.after(after, 10_000), null, after);
        } else {
            long latest = log.latestId();
            follower.start(null, Map.of("latestEventId", latest), latest);
        }
    }

    /** The client's Last-Event-ID, or null when it sent none (or not one of ours). */
    static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiProblem.invalid("Last-Event-ID must be the id of an event this server sent, got '" + header + "'");
        }
    }
}
