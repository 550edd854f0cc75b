package dev.agentbatch.security;

import java.security.Principal;
import java.util.List;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.ApiProblem;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The rules that roles alone cannot express, in one place, used by every resource: an operator may stop, cancel or
 * restart any task, a submitter only the tasks they submitted; an approver decides, but never on a task they
 * submitted (four eyes, unless AGENT_BATCH_FOUR_EYES=false). Roles themselves are declared on the resources with
 * {@code @RolesAllowed}; no resource compares user names by hand.
 */
@RequestScoped
public class AccessPolicy {

    @Inject
    HttpServletRequest request;
    @Inject
    AgentBatchConfig config;

    /** The authenticated user's name, or null. */
    public String user() {
        Principal p = request.getUserPrincipal();
        return p == null ? null : p.getName();
    }

    public List<String> roles() {
        return Roles.ALL.stream().filter(request::isUserInRole).toList();
    }

    /**
     * Stop, cancel or restart.
     *
     * @throws ApiProblem 403 naming what is missing
     */
    public void mayControl(AgentTask task, String action) {
        if (request.isUserInRole(Roles.OPERATOR)) {
            return;
        }
        if (request.isUserInRole(Roles.SUBMITTER) && user() != null && user().equals(task.submittedBy)) {
            return;
        }
        throw ApiProblem.forbidden(user() + " may not " + action + " task " + task.id + ": that needs role " + Roles.OPERATOR
                + ", or role " + Roles.SUBMITTER + " and being the user who submitted it"
                + (task.submittedBy == null ? "" : " (" + task.submittedBy + ")"));
    }

    /**
     * Approve or deny a call of {@code task}.
     *
     * @throws ApiProblem 403 naming what is missing
     */
    public void mayDecide(AgentTask task) {
        if (!request.isUserInRole(Roles.APPROVER)) {
            throw ApiProblem.forbidden(user() + " may not decide on approvals: that needs role " + Roles.APPROVER);
        }
        if (config.fourEyes() && user() != null && user().equals(task.submittedBy)) {
            throw ApiProblem.forbidden(user() + " submitted task " + task.id + " and may not approve its own calls"
                    + " (four eyes; AGENT_BATCH_FOUR_EYES=false turns the rule off for single-person setups)");
        }
    }
}
