package dev.agentbatch.approval;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.agentbatch.model.ModelJournal;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.security.Roles;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.ApiProblem;
import dev.agentbatch.tools.ToolCallRecord;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/approvals}: every gated tool call that waits for a decision, oldest first, with what a person needs to
 * decide: the task and its input, the tool and its arguments exactly as they will run, and the model's reason (its
 * message in that turn). Deciding is {@code POST /api/tasks/{id}/approvals/{toolCallId}}.
 */
@Path("/approvals")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
@Produces(MediaType.APPLICATION_JSON)
public class ApprovalResource {

    @PersistenceContext
    EntityManager em;
    @Inject
    Approvals approvals;
    @Inject
    ModelJournal journal;

    /**
     * @param arguments the call's arguments, the JSON text the tool will receive
     * @param reason    what the model said in the turn that asked for the call
     * @param deadline  when the request times out (the call is then denied); null: it waits until someone decides
     */
    public record ApprovalView(long taskId, int iteration, String toolCallId, String toolName, String arguments,
                               String reason, Instant requestedAt, Instant deadline, String input, String submittedBy,
                               String taskState, Long executionId) {
    }

    @GET
    public Map<String, List<ApprovalView>> pending(@QueryParam("limit") @DefaultValue("200") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.invalid("limit must be between 1 and 1000, got " + limit);
        }
        Map<String, String> reasons = new HashMap<>();
        Map<Long, AgentTask> tasks = new HashMap<>();
        List<ApprovalView> views = approvals.pendingRows(limit).stream().map(r -> {
            AgentTask task = tasks.computeIfAbsent(r.taskId, id -> em.find(AgentTask.class, id));
            String reason = reasons.computeIfAbsent(r.taskId + "/" + r.iteration, k -> journal.find(r.taskId, r.iteration)
                    .map(ModelTurn::message).map(m -> m.content()).orElse(null));
            return view(r, task, reason);
        }).toList();
        return Map.of("approvals", views);
    }

    private static ApprovalView view(ToolCallRecord r, AgentTask task, String reason) {
        return new ApprovalView(r.taskId, r.iteration, r.toolCallId, r.toolName, r.arguments, reason, r.approvalRequestedAt,
                r.approvalDeadline, task == null ? null : task.input, task == null ? null : task.submittedBy,
                task == null ? null : task.state.name(), r.approvalExecutionId);
    }
}
