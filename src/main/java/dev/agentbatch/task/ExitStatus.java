package dev.agentbatch.task;

/**
 * The exit statuses a task's job execution can end with (JOB_EXECUTION.EXITSTATUS, STEP_EXECUTION.EXITSTATUS and the
 * task's {@code exitStatus}). The README's table of states and exit statuses lists the same names.
 */
public final class ExitStatus {

    public static final String COMPLETED = "COMPLETED";
    /** A person stopped the task (our API, the CLI, jboss-cli {@code stop-job}, the console). */
    public static final String STOPPED = "STOPPED";
    /** A queued task (PENDING or RESTART_PENDING) was stopped before it started. */
    public static final String CANCELLED = "CANCELLED";

    public static final String ITERATION_LIMIT = "ITERATION_LIMIT";
    public static final String DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED";
    public static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";
    /** The model answered with an HTTP error that retrying cannot fix, or with a body that is not a chat completion. */
    public static final String MODEL_ERROR = "MODEL_ERROR";
    /** The model's answer is a chat completion that cannot become an iteration (duplicate or oversized tool calls…). */
    public static final String INVALID_MODEL_ANSWER = "INVALID_MODEL_ANSWER";
    /** One iteration used up its retries (job parameter {@code retryLimit}). */
    public static final String RETRIES_EXHAUSTED = "RETRIES_EXHAUSTED";
    /** The execution used up JBeret's {@code retry-limit}, the budget of retries of the whole execution. */
    public static final String RETRY_BUDGET_EXHAUSTED = "RETRY_BUDGET_EXHAUSTED";
    /** More permanent tool errors than the skip limit. */
    public static final String TOOL_FAILURES = "TOOL_FAILURES";
    /** A stale execution tried to write after a newer one took the task: it ends, the task is not affected. */
    public static final String FENCED = "FENCED";
    /** An execution that failed for a reason none of the above names (see the task's {@code error}). */
    public static final String FAILED = "FAILED";
    /**
     * The execution's node left gracefully (a suspend: {@code server stop}, SIGTERM): it stopped at an iteration
     * boundary and handed the task to any live node. Not a person's stop: the task stays RUNNING.
     */
    public static final String HANDED_OFF = "HANDED_OFF";
    /**
     * Another node stopped this execution through the shared job repository (WildFly's batch subsystem stops every
     * running execution of the job names it ran when its node suspends or undeploys, or a jboss-cli stop-job was sent
     * to the wrong node): the task resumes at once on its own node.
     */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** The execution's node died (its lease ran out); a live node took the task over and marked it so. */
    public static final String NODE_LOST = "NODE_LOST";
    /**
     * The database could not be reached (restarting, failing over): the execution ended at the failed iteration, and
     * the task resumes from its last checkpoint when the database is back. Shown on the task while it waits.
     */
    public static final String DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE";
    /** JBeret's ABANDONED: an admin abandoned the execution. */
    public static final String ABANDONED = "ABANDONED";
    /**
     * The job stopped itself at a tool call that needs a person's approval (batch status STOPPED); the task is
     * AWAITING_APPROVAL. A restart of the execution (the queue's, or jboss-cli's) stops again while a call is undecided.
     */
    public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
    /** The model refused the request as longer than its context even after the conversation was trimmed to half. */
    public static final String CONTEXT_LENGTH_EXCEEDED = "CONTEXT_LENGTH_EXCEEDED";

    private ExitStatus() {
    }
}
