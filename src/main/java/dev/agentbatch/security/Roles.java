package dev.agentbatch.security;

import java.util.List;

/**
 * The four roles (groups of WildFly's application realm). Each may everything a viewer may: reading endpoints allow
 * {@link #ANY}.
 */
public final class Roles {

    /** Reads tasks, transcripts, executions, nodes and events. */
    public static final String VIEWER = "agent-viewer";
    /** Submits tasks, and stops, cancels or restarts the tasks they submitted themselves. */
    public static final String SUBMITTER = "agent-submitter";
    /** Restarts and stops any task, purges, and runs batch operations. */
    public static final String OPERATOR = "agent-operator";
    /** Decides on approvals. */
    public static final String APPROVER = "agent-approver";

    public static final List<String> ALL = List.of(VIEWER, SUBMITTER, OPERATOR, APPROVER);

    private Roles() {
    }
}
