package dev.agentbatch.task;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.batch.operations.JobSecurityException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every error of the REST API as {@code application/problem+json}: type, title, status, detail. A call without
 * credentials gets 401 with a {@code WWW-Authenticate: Basic} challenge (never a login page); the wrong role gets 403
 * naming the role it needs. An unexpected error never shows its message: the body carries an id that the server log's
 * line (with the stack trace) carries too.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String REALM = "agent-batch";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Context
    SecurityContext security;
    @Context
    ResourceInfo resource;

    @Override
    public Response toResponse(Throwable e) {
        if (cause(e, ApiProblem.class) instanceof ApiProblem p) { // also when a body reader wrapped it
            return problem(p.status(), p.type(), p.title(), p.getMessage());
        }
        if (e instanceof ForbiddenException) {
            if (security == null || security.getUserPrincipal() == null) {
                return unauthenticated();
            }
            return problem(403, "urn:agent-batch:problem:forbidden", "Forbidden", security.getUserPrincipal().getName()
                    + " may not do this: it needs one of the roles " + requiredRoles());
        }
        if (e instanceof JobSecurityException) {
            return problem(403, "urn:agent-batch:problem:forbidden", "Batch permission denied", e.getMessage());
        }
        Throwable bodyError = cause(e, JsonProcessingException.class);
        if (bodyError != null) {
            return problem(400, "urn:agent-batch:problem:invalid-json", "Invalid JSON body",
                    "the request body is not the expected JSON: " + ((JsonProcessingException) bodyError).getOriginalMessage());
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            if (status == 401) {
                return unauthenticated();
            }
            return problem(status, "urn:agent-batch:problem:http-" + status,
                    w.getResponse().getStatusInfo().getReasonPhrase(), w.getMessage());
        }
        String id = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected error in the REST API [error " + id + "]", e);
        return problem(500, "urn:agent-batch:problem:internal", "Internal error",
                "an unexpected error happened; the server log has its details under error " + id, Map.of("errorId", id));
    }

    /** 401 with the BASIC challenge, for a call that sent no (valid) credentials. */
    public static Response unauthenticated() {
        return Response.fromResponse(problem(401, "urn:agent-batch:problem:unauthenticated", "Authentication required",
                        "this call needs a user: send HTTP BASIC credentials (or log in to the console)"))
                .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"").build();
    }

    private String requiredRoles() {
        if (resource == null || resource.getResourceMethod() == null) {
            return "[?]";
        }
        Method method = resource.getResourceMethod();
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? "[?]" : Arrays.toString(allowed.value());
    }

    static Response problem(int status, String type, String title, String detail) {
        return problem(status, type, title, detail, Map.of());
    }

    static Response problem(int status, String type, String title, String detail, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extra);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }

    private static Throwable cause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }
}
