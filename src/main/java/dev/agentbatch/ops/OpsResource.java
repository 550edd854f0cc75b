package dev.agentbatch.ops;

import java.util.Date;
import java.util.Map;

import dev.agentbatch.security.AccessPolicy;
import dev.agentbatch.security.AuditLog;
import dev.agentbatch.security.Roles;
import dev.agentbatch.task.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operations over REST: start a purge now, and read any job execution's status (for the CLI to follow it). */
@Path("/ops")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OpsResource {

    @Inject
    OpsLifecycle ops;

    @Inject
    AccessPolicy access;

    @Inject
    AuditLog audit;

    /** The optional body of {@code POST /api/ops/purge}. */
    public record PurgeRequest(Integer retentionDays) {
    }

    /** A job execution as operators read it in JOB_EXECUTION. */
    public record Execution(long executionId, String jobName, String batchStatus, String exitStatus, Date startTime,
                            Date endTime) {
    }

    @POST
    @Path("/purge")
    @RolesAllowed(Roles.OPERATOR)
    public Response purge(PurgeRequest request) {
        Integer days = request == null ? null : request.retentionDays();
        if (days != null && days < 0) {
            throw ApiProblem.invalid("retentionDays must be 0 or more, got " + days);
        }
        long exec = ops.startPurge(days);
        audit.record(null, "PURGE", access.user(), "retentionDays=" + (days == null ? "default" : days)
                + " executionId=" + exec);
        return Response.accepted(Map.of("executionId", exec, "jobName", OpsLifecycle.PURGE_JOB)).build();
    }

    @GET
    @Path("/executions/{id}")
    public Execution execution(@PathParam("id") long id) {
        try {
            JobExecution e = BatchRuntime.getJobOperator().getJobExecution(id);
            return new Execution(id, e.getJobName(), String.valueOf(e.getBatchStatus()), e.getExitStatus(),
                    e.getStartTime(), e.getEndTime());
        } catch (NoSuchJobExecutionException e) {
            throw ApiProblem.invalid("no job execution " + id);
        }
    }
}
