package dev.agentbatch.task;

/** The life of an agent task, as schedulers and the REST API see it. */
public enum TaskState {
    PENDING, RUNNING, COMPLETED, FAILED, STOPPED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == STOPPED;
    }
}
