package dev.agentbatch.security;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

import dev.agentbatch.task.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Cross-site request forgery protection for the state-changing calls of the API (the browser console logs in with a
 * session, whose cookie a browser would send along with a forged request):
 * <ul>
 * <li>a call authenticated by a session must send the session's token ({@code GET /api/me} hands it out) in the
 * {@code X-CSRF-Token} header, which another site cannot read or set;</li>
 * <li>any call whose {@code Origin} is not this server is refused, whatever it authenticated with (a browser may
 * also remember BASIC credentials).</li>
 * </ul>
 * Schedulers and scripts that send BASIC credentials, with no session and no Origin, are not affected. The session
 * cookie itself is SameSite=Strict (WEB-INF/undertow-handlers.conf).
 */
@Provider
@ApplicationScoped
public class CsrfFilter implements ContainerRequestFilter {

    public static final String HEADER = "X-CSRF-Token";
    private static final String ATTRIBUTE = "agent-batch.csrf-token";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        if (SAFE.contains(context.getMethod())) {
            return;
        }
        String origin = context.getHeaderString("Origin");
        if (origin != null && !sameOrigin(origin, context.getHeaderString("Host"))) {
            throw ApiProblem.forbidden("a cross-site request (Origin " + origin + ") may not change anything here");
        }
        HttpSession session = request.getSession(false);
        boolean bySession = session != null && context.getHeaderString("Authorization") == null
                && request.getUserPrincipal() != null && request.isRequestedSessionIdValid();
        if (bySession) {
            Object expected = session.getAttribute(ATTRIBUTE);
            String sent = context.getHeaderString(HEADER);
            if (expected == null || !expected.equals(sent)) {
                throw ApiProblem.forbidden("a call made with a session must send the session's " + HEADER
                        + " header (GET /api/me gives it)");
            }
        }
    }

    /** The token of the caller's session (made on first use), or null when the caller has no session. */
    public String tokenOfSession() {
        HttpSession session = request.getSession(false);
        if (session == null) {
            return null;
        }
        synchronized (session) {
            Object token = session.getAttribute(ATTRIBUTE);
            if (token == null) {
                byte[] bytes = new byte[24];
                RANDOM.nextBytes(bytes);
                token = HexFormat.of().formatHex(bytes);
                session.setAttribute(ATTRIBUTE, token);
            }
            return (String) token;
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String originHost = uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            return host != null && (host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
