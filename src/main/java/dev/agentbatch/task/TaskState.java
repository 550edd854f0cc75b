package dev.agentbatch.task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of an agent task, as schedulers, the REST API, the CLI and operators see it. This enum is the one table
 * of states: every writer of {@code AGENT_TASK.STATE} (submission, the queue, the job listener, recovery, the sweep,
 * restart and stop) moves a task only along {@link #canMoveTo the transitions below}, and the outcome of a job
 * execution becomes a task state in one place only, {@link ExecutionOutcome}.
 *
 * <pre>
 *   PENDING ──claim──▶ STARTING ──job begins──▶ RUNNING ──▶ COMPLETED
 *      │                  │  ▲                   │  │  └──▶ FAILED ──restart──▶ RESTART_PENDING ──claim──▶ STARTING
 *      │ cancel           │  └──claim given back─┘  │  └──▶ STOPPED ──restart──▶ RESTART_PENDING
 *      ▼                  ▼                         │      (a person's stop)
 *   STOPPED           PENDING / RESTART_PENDING     └──▶ AWAITING_APPROVAL ──every gated call decided──▶ RESTART_PENDING
 *                                                        (a gated tool call)  └──stop──▶ STOPPED (calls denied)
 * </pre>
 * A jboss-cli {@code restart-job} or the WildFly console moves a FAILED, STOPPED, RESTART_PENDING or
 * AWAITING_APPROVAL task straight to RUNNING (it bypasses the queue by nature; a task whose approval is still pending
 * stops again at the same gate); recovery and a takeover keep a RUNNING task RUNNING under a new execution.
 */
public enum TaskState {
    /** Accepted and queued; never started. */
    PENDING,
    /** A restart of a FAILED or STOPPED task, waiting its turn in the queue (priority, cap) like a new task. */
    RESTART_PENDING,
    /** Claimed by a node ({@code CLAIMED_BY}, {@code CLAIMED_AT}); its job is being started or restarted. */
    STARTING,
    /** A job execution carries it. */
    RUNNING,
    /** The model gave its final answer. */
    COMPLETED,
    /** The execution failed; {@code EXIT_STATUS} says why. Restartable. */
    FAILED,
    /**
     * The model asked for a tool call that needs a person's approval: the job stopped itself at the iteration boundary
     * (STOPPED, exit status AWAITING_APPROVAL) and holds nothing while it waits; when every gated call of the turn is
     * decided, the task goes back to the queue (RESTART_PENDING).
     */
    AWAITING_APPROVAL,
    /** A person stopped it (exit status STOPPED) or cancelled it before it started (CANCELLED). Restartable once started. */
    STOPPED;

    private static final Map<TaskState, Set<TaskState>> NEXT = Map.of(
            PENDING, EnumSet.of(STARTING, STOPPED),
            RESTART_PENDING, EnumSet.of(STARTING, RUNNING, STOPPED),
            STARTING, EnumSet.of(RUNNING, PENDING, RESTART_PENDING, STOPPED, FAILED, COMPLETED),
            RUNNING, EnumSet.of(RUNNING, COMPLETED, FAILED, STOPPED, AWAITING_APPROVAL, RESTART_PENDING),
            AWAITING_APPROVAL, EnumSet.of(RESTART_PENDING, RUNNING, STOPPED),
            COMPLETED, EnumSet.noneOf(TaskState.class),
            FAILED, EnumSet.of(RESTART_PENDING, RUNNING),
            STOPPED, EnumSet.of(RESTART_PENDING, RUNNING));

    /** Nothing will happen to the task unless someone restarts it. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }

    /** Waiting in the queue for a node to claim it. */
    public boolean isQueued() {
        return this == PENDING || this == RESTART_PENDING;
    }

    /** Whether a task in this state may be moved to {@code next}. */
    public boolean canMoveTo(TaskState next) {
        return NEXT.get(this).contains(next);
    }

    /**
     * The states in which a job execution may begin to carry the task (the job listener's guard): claimed by the
     * dispatcher, or restarted from jboss-cli / the console, or resumed by recovery. Never PENDING (a job started
     * by hand for a queued task would be a second job instance) and never COMPLETED.
     */
    public static final Set<TaskState> CARRIABLE = EnumSet.of(STARTING, RESTART_PENDING, RUNNING, FAILED, STOPPED,
            AWAITING_APPROVAL);
}
