package dev.agentbatch.task;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agentbatch.approval.Approvals;
import dev.agentbatch.ops.FaultInjection;
import dev.agentbatch.queue.ExecutionRows;
import dev.agentbatch.queue.TaskDispatcher;
import dev.agentbatch.security.AccessPolicy;
import dev.agentbatch.security.AuditLog;
import dev.agentbatch.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The tasks REST API (see README, "REST API"). Every call needs one of the four roles; submitting needs
 * {@link Roles#SUBMITTER}; stop and restart need {@link Roles#OPERATOR}, or a submitter's own task
 * ({@link AccessPolicy}).
 */
@Path("/tasks")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskResource {

    @Inject
    TaskService service;
    @Inject
    TaskControl control;
    @Inject
    TaskStore store;
    @Inject
    TaskSearch search;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    TaskEvents events;
    @Inject
    EventLog eventLog;
    @Inject
    AccessPolicy policy;
    @Inject
    AuditLog audit;
    @Inject
    FaultInjection faults;
    @Inject
    ExecutionRows executionRows;
    @Inject
    Approvals approvals;
    @Inject
    dev.agentbatch.model.ModelJournal journal;

    @Context
    UriInfo uri;

    @POST
    @RolesAllowed(Roles.SUBMITTER)
    public Response submit(TaskRequest request, @HeaderParam("Idempotency-Key") String key) {
        TaskService.Submitted submitted;
        try {
            submitted = service.submit(request, key, policy.user());
        } catch (RuntimeException e) {
            // a concurrent submission with the same key won the unique index: answer with its task
            if (key == null || !UniqueViolation.isCause(e)) {
                throw e;
            }
            submitted = service.existing(key, TaskService.hash(service.normalized(request, key)), policy.user())
                    .orElseThrow(() -> e);
        }
        if (submitted.created()) {
            dispatcher.wake();
            URI location = uri.getAbsolutePathBuilder().path(Long.toString(submitted.task().id)).build();
            return Response.created(location).entity(TaskView.of(submitted.task())).build();
        }
        return Response.ok(TaskView.of(submitted.task())).build();
    }

    @GET
    @Path("/{id}")
    public TaskView get(@PathParam("id") long id) {
        return withApprovals(service.find(id));
    }

    /** The task with the gated calls it waits for. */
    private TaskView withApprovals(AgentTask task) {
        List<TaskView.Awaiting> awaiting = approvals.pendingRows(task.id).stream().map(r -> new TaskView.Awaiting(r.iteration,
                r.toolCallId, r.toolName, r.arguments, r.approvalRequestedAt, r.approvalDeadline)).toList();
        return TaskView.of(task, awaiting);
    }

    /**
     * A page of tasks. Without parameters it answers as it always did (the newest 50); the filter parameters are
     * {@link TaskFilter}'s, {@code page} counts from 0, {@code size} (or its older name {@code limit}) is 1–1000. The
     * body is {@code {"tasks": [...], "total", "page", "size"}}: {@code total} counts every match, not just this page.
     */
    @GET
    public Map<String, Object> list(@QueryParam("limit") Integer limit, @QueryParam("size") Integer size,
                                    @QueryParam("page") @DefaultValue("0") int page) {
        Integer asked = size != null ? size : limit;
        int pageSize = asked == null ? 50 : asked;
        if (pageSize < 1 || pageSize > 1000) {
            throw ApiProblem.invalid("size (or limit) must be between 1 and 1000, got " + pageSize);
        }
        if (page < 0 || (long) page * pageSize > 1_000_000) {
            throw ApiProblem.invalid("page must be between 0 and " + (1_000_000 / pageSize) + ", got " + page);
        }
        TaskFilter filter = TaskFilter.parse(uri.getQueryParameters());
        TaskSearch.Page found = search.page(filter, page, pageSize);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tasks", found.tasks().stream().map(TaskView::of).toList());
        body.put("total", found.total());
        body.put("page", page);
        body.put("size", pageSize);
        return body;
    }

    /**
     * How many tasks are in each state (every state, zeros included), and the queue's depth: the tasks waiting for
     * a node (PENDING and RESTART_PENDING).
     */
    @GET
    @Path("/counts")
    public Map<String, Object> counts() {
        Map<TaskState, Long> byState = search.countsByState();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("states", byState);
        body.put("queueDepth", byState.get(TaskState.PENDING) + byState.get(TaskState.RESTART_PENDING));
        body.put("total", byState.values().stream().mapToLong(Long::longValue).sum());
        return body;
    }

    @GET
    @Path("/{id}/transcript")
    public TranscriptView transcript(@PathParam("id") long id) {
        service.find(id);
        faults.fail(FaultInjection.REST_ERROR, id);
        return TranscriptView.of(id, store.messages(id), store.retries(id), approvals.decidedRows(id),
                journal.contextTrimmed(id));
    }

    @GET
    @Path("/{id}/executions")
    public ExecutionView.Page executions(@PathParam("id") long id) {
        AgentTask task = service.find(id);
        Long latest = task.jobInstanceId == null ? task.jobExecutionId
                : executionRows.latestOf(task.jobInstanceId).map(ExecutionRows.Row::executionId).orElse(task.jobExecutionId);
        return ExecutionView.of(BatchRuntime.getJobOperator(), latest);
    }

    /**
     * Server-sent events, each with an id: first the task as it is ({@code task}), then one {@code state} event per
     * state change and one {@code iteration} event per committed iteration; the stream ends after a terminal state.
     * Any node streams any task. A client that reconnects with {@code Last-Event-ID} gets what it missed instead of
     * the snapshot (events are kept for AGENT_BATCH_EVENT_RETENTION).
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@PathParam("id") long id, @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context Sse sse) {
        service.find(id);
        Long after = EventsResource.lastEventId(lastEventId);
        SseFollower follower = new SseFollower(id, sink, sse, events);
        if (after != null) {
            follower.start(eventLog.ofTaskAfter(id, after), null, after);
        } else {
            long latest = eventLog.latestIdOf(id);
            follower.start(null, withApprovals(service.find(id)), latest);
        }
    }

    /** 202: the restart is queued (RESTART_PENDING); the task carries no execution until a node claims it. */
    @POST
    @Path("/{id}/restart")
    @RolesAllowed({Roles.SUBMITTER, Roles.OPERATOR})
    public Response restart(@PathParam("id") long id, TaskControl.Overrides overrides) {
        policy.mayControl(service.find(id), "restart");
        TaskView queued = TaskView.of(control.restart(id, overrides, policy.user()));
        dispatcher.wake();
        return Response.accepted(queued).build();
    }

    @POST
    @Path("/{id}/stop")
    @RolesAllowed({Roles.SUBMITTER, Roles.OPERATOR})
    public TaskView stop(@PathParam("id") long id) {
        policy.mayControl(service.find(id), "stop");
        return TaskView.of(control.stop(id, policy.user()));
    }

    /** Who did what to the task, and when: every state change a person made. */
    /** The body of {@code POST /api/tasks/{id}/approvals/{toolCallId}}. */
    public record DecisionRequest(String decision, String reason) {
    }

    /** The decision as recorded. */
    public record DecisionView(long taskId, int iteration, String toolCallId, String toolName, String arguments,
                               String decision, String decidedBy, java.time.Instant decidedAt, String reason,
                               boolean resumed) {
    }

    /**
     * Approve or deny a gated call (role {@link Roles#APPROVER}; not on a task one submitted, unless four eyes is
     * off). Once the last undecided call of a waiting task is decided, the task is back in the queue, in the same
     * transaction. A second decision on the same call is a 409.
     */
    @POST
    @Path("/{id}/approvals/{toolCallId}")
    @RolesAllowed(Roles.APPROVER)
    public DecisionView decide(@PathParam("id") long id, @PathParam("toolCallId") String toolCallId, DecisionRequest request) {
        if (request == null) {
            throw ApiProblem.invalid("a JSON body {\"decision\": \"approve\" | \"deny\", \"reason\": \"...\"} is required");
        }
        Approvals.Decision decision = Approvals.Decision.parse(request.decision());
        if (decision == Approvals.Decision.DENY && (request.reason() == null || request.reason().isBlank())) {
            throw ApiProblem.invalid("a denial needs a \"reason\": the model reads it as the call's result");
        }
        if (request.reason() != null && request.reason().length() > 2000) {
            throw ApiProblem.invalid("\"reason\" is longer than 2000 characters");
        }
        policy.mayDecide(service.find(id));
        Approvals.Decided decided = approvals.decide(id, toolCallId, decision, request.reason(), policy.user());
        faults.halt(FaultInjection.AFTER_DECISION, id);
        if (decided.resumed()) {
            dispatcher.wake();
        }
        var row = decided.call();
        return new DecisionView(id, row.iteration, row.toolCallId, row.toolName, row.arguments, row.approval.name(),
                row.decidedBy, row.decidedAt, row.decisionReason, decided.resumed());
    }

    @GET
    @Path("/{id}/audit")
    public Map<String, List<AuditLog.Entry>> audit(@PathParam("id") long id) {
        service.find(id);
        return Map.of("audit", audit.ofTask(id));
    }
}
