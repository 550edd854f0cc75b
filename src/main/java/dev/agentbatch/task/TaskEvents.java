package dev.agentbatch.task;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Fans committed {@link TaskEvent}s out to the followers of each task (the SSE streams of
 * {@code GET /api/tasks/{id}/events}). Events of this node only: a follower connected to another node of a
 * cluster sees the tasks that node runs, and can always fall back to polling {@code GET /api/tasks/{id}}.
 */
@ApplicationScoped
public class TaskEvents {

    private final Map<Long, Set<Consumer<TaskEvent>>> followers = new ConcurrentHashMap<>();

    public void follow(long taskId, Consumer<TaskEvent> follower) {
        followers.computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet()).add(follower);
    }

    public void unfollow(long taskId, Consumer<TaskEvent> follower) {
        followers.computeIfPresent(taskId, (k, set) -> {
            set.remove(follower);
            return set.isEmpty() ? null : set;
        });
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TaskEvent event) {
        Set<Consumer<TaskEvent>> set = followers.get(event.taskId());
        if (set != null) {
            for (Consumer<TaskEvent> follower : set) {
                follower.accept(event);
            }
        }
    }
}
