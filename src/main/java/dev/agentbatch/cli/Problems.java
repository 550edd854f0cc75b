package dev.agentbatch.cli;

import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What went wrong with a call, as the one line the user reads: the detail of the server's problem+json (its title
 * when there is no detail), or a name for an I/O failure the JDK left without a message.
 */
final class Problems {

    private Problems() {
    }

    /** HttpClient often throws without a message; name the situation instead. */
    static String describe(Exception e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The problem's detail (else its title); a bare status line when the body is not a problem. */
    static String text(int status, HttpRequest request, String text) {
        String fallback = "HTTP " + status + " from " + request.method() + " " + request.uri().getPath();
        if (text == null || text.isBlank() || !text.trim().startsWith("{")) {
            return fallback;
        }
        JsonNode problem;
        try {
            problem = Json.parse(text);
        } catch (JsonProcessingException e) {
            return fallback + " (body is not JSON: " + e.getOriginalMessage() + ")";
        }
        String detail = Json.text(problem.path("detail"));
        if (detail == null || detail.isBlank()) {
            detail = Json.text(problem.path("title"));
        }
        return detail == null || detail.isBlank() ? fallback : detail.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
