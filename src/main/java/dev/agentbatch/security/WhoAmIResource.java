package dev.agentbatch.security;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/me}: who am I, and which roles do I have (the console shows only the actions the roles allow), and,
 * for a browser session, the token its state-changing calls must send ({@link CsrfFilter}).
 */
@Path("/me")
@RequestScoped
@RolesAllowed({Roles.VIEWER, Roles.SUBMITTER, Roles.OPERATOR, Roles.APPROVER})
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    @Inject
    AccessPolicy policy;
    @Inject
    CsrfFilter csrf;

    @GET
    public Map<String, Object> me() {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("user", policy.user());
        me.put("roles", policy.roles());
        me.put("csrfToken", csrf.tokenOfSession());
        return me;
    }
}
