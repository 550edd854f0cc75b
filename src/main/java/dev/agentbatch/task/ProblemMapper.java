package dev.agentbatch.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every error of the REST API as {@code application/problem+json}: type, title, status, detail. */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        if (e instanceof ApiProblem p) {
            return problem(p.status(), p.type(), p.title(), p.getMessage());
        }
        Throwable bodyError = cause(e, JsonProcessingException.class);
        if (bodyError != null) {
            return problem(400, "urn:agent-batch:problem:invalid-json", "Invalid JSON body",
                    "the request body is not the expected JSON: " + ((JsonProcessingException) bodyError).getOriginalMessage());
        }
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return problem(status, "urn:agent-batch:problem:http-" + status,
                    w.getResponse().getStatusInfo().getReasonPhrase(), w.getMessage());
        }
        LOG.log(Level.SEVERE, "unexpected error in the REST API", e);
        return problem(500, "urn:agent-batch:problem:internal", "Internal error",
                e.getClass().getSimpleName() + ": " + e.getMessage() + " (see server.log)");
    }

    static Response problem(int status, String type, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
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
