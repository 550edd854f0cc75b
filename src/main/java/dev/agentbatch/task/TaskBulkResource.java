package dev.agentbatch.task;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.agentbatch.queue.TaskDispatcher;
import dev.agentbatch.security.AccessPolicy;
import dev.agentbatch.security.AuditLog;
import dev.agentbatch.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /api/tasks/bulk/restart} and {@code …/bulk/stop}: the single-task actions applied to many tasks, named
 * by ids or by a filter ({@link TaskFilter}, the list's parameters). A filter is read once, when the request arrives:
 * the snapshot of matching ids is what is acted on, so a task that fails while the bulk action runs is not swept in.
 * Each task is its own transaction and goes through exactly the checks of its single endpoint ({@link AccessPolicy},
 * the state rules of {@link TaskControl}, the audit), and the answer says, per id, what happened: one refused task
 * does not stop the others.
 */
@Path("/tasks/bulk")
@RequestScoped
@RolesAllowed({Roles.SUBMITTER, Roles.OPERATOR})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskBulkResource {

    /** At most this many tasks per request: a larger selection is refused, so that a filter typo cannot touch all. */
    static final int MAX = 1000;

    @Inject
    TaskService service;
    @Inject
    TaskControl control;
    @Inject
    TaskSearch search;
    @Inject
    TaskDispatcher dispatcher;
    @Inject
    AccessPolicy policy;
    @Inject
    AuditLog audit;

    /**
     * @param ids       the tasks, or
     * @param filter    the list's parameters ({@code state}, {@code exitStatus}, {@code priority}, {@code from},
     *                  {@code to}, {@code time}, {@code q}); each value a string, a number, or a list
     * @param overrides for a restart: new limits for every task
     */
    public record BulkRequest(List<Long> ids, Map<String, Object> filter, TaskControl.Overrides overrides) {
    }

    /** What happened to one task: the status its single call would have answered, and its state or the problem. */
    public record Outcome(long id, int status, TaskState state, String problem) {
    }

    /** @param requested how many ids the request named, or the filter matched when it arrived */
    public record BulkResult(String action, int requested, int succeeded, int refused, List<Outcome> results) {
    }

    @POST
    @Path("/restart")
    public BulkResult restart(BulkRequest request) {
        List<Long> ids = select(request, "restart");
        TaskControl.Overrides overrides = request.overrides();
        if (overrides != null) {
            TaskValidator.validateLimits(overrides.deadline(), overrides.maxIterations(), overrides.budgetTokens());
        }
        BulkResult result = apply("restart", ids, id -> control.restart(id, overrides, policy.user()), 202);
        if (result.succeeded() > 0) {
            dispatcher.wake();
        }
        return result;
    }

    @POST
    @Path("/stop")
    public BulkResult stop(BulkRequest request) {
        return apply("stop", select(request, "stop"), id -> control.stop(id, policy.user()), 200);
    }

    private List<Long> select(BulkRequest request, String action) {
        if (request == null || (request.ids() == null) == (request.filter() == null)) {
            throw ApiProblem.invalid("give either \"ids\": [1, 2] or \"filter\": {\"state\": \"FAILED\", …}, not both");
        }
        List<Long> ids;
        if (request.ids() != null) {
            ids = new ArrayList<>(new LinkedHashSet<>(request.ids()));
            if (ids.contains(null)) {
                throw ApiProblem.invalid("\"ids\" may hold task ids only");
            }
        } else {
            for (String name : request.filter().keySet()) {
                if (!TaskFilter.NAMES.contains(name)) {
                    throw ApiProblem.invalid("unknown filter field '" + name + "'; known: " + TaskFilter.NAMES);
                }
            }
            TaskFilter filter = TaskFilter.parse(strings(request.filter()));
            ids = search.ids(filter, MAX + 1);
            audit.record(null, "BULK_" + action.toUpperCase(java.util.Locale.ROOT), policy.user(),
                    ids.size() + " task(s) matched filter " + request.filter());
        }
        if (ids.isEmpty()) {
            throw ApiProblem.invalid("no task matches: nothing to " + action);
        }
        if (ids.size() > MAX) {
            throw ApiProblem.invalid("more than " + MAX + " tasks selected; narrow the filter, or act in several requests");
        }
        return ids;
    }

    private BulkResult apply(String action, List<Long> ids, java.util.function.LongFunction<AgentTask> act, int okStatus) {
        List<Outcome> results = new ArrayList<>(ids.size());
        int ok = 0;
        for (long id : ids) {
            try {
                policy.mayControl(service.find(id), action);
                AgentTask task = act.apply(id);
                results.add(new Outcome(id, okStatus, task.state, null));
                ok++;
            } catch (ApiProblem p) {
                results.add(new Outcome(id, p.status(), null, p.getMessage()));
            }
        }
        return new BulkResult(action, ids.size(), ok, ids.size() - ok, results);
    }

    /** The filter object's values as the query string would give them. */
    private static Map<String, Collection<String>> strings(Map<String, Object> filter) {
        Map<String, Collection<String>> values = new LinkedHashMap<>();
        filter.forEach((name, value) -> {
            List<String> list = new ArrayList<>();
            if (value instanceof Collection<?> c) {
                c.forEach(v -> list.add(v == null ? null : v.toString()));
            } else if (value != null) {
                list.add(value.toString());
            }
            values.put(name, list);
        });
        return values;
    }
}
