package dev.agentbatch.task;

/**
 * An error the client can fix, as an RFC 9457 problem: the one place user-facing REST errors are made.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    private ApiProblem(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** Any other client error, with its own status and type. */
    public static ApiProblem of(int status, String type, String title, String detail) {
        return new ApiProblem(status, type, title, detail);
    }

    public static ApiProblem invalid(String detail) {
        return new ApiProblem(400, "invalid-request", "Invalid request", detail);
    }

    public static ApiProblem notFound(long taskId) {
        return new ApiProblem(404, "task-not-found", "No such task", "no task with id " + taskId);
    }

    /** 403: the caller is who they say, but may not do this; {@code detail} names the role or rule that is missing. */
    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Forbidden", detail);
    }

    public static ApiProblem conflict(String type, String title, String detail) {
        return new ApiProblem(409, type, title, detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return "urn:agent-batch:problem:" + type;
    }

    public String title() {
        return title;
    }
}
