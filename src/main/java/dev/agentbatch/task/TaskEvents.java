package dev.agentbatch.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.config.ClusterSignals;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * This node's relay of AGENT_EVENT to its followers (the SSE streams of {@code /api/tasks/{id}/events} and
 * {@code /api/events}), whichever node wrote the events. While anyone follows, it polls the table for rows after the
 * last one it delivered, woken at once by a local commit or another node's signal, and every half second otherwise.
 *
 * <p>Ids are handed out when a row is inserted, not when its transaction commits, so a row can appear after a higher
 * id was delivered. The relay remembers such gaps and looks for them again for a while (an id that never shows up was
 * rolled back), so nothing committed is ever skipped; a follower never gets an id twice.
 *
 * <p>Every {@link AgentBatchConfig#sseKeepAlive()} each follower gets a comment line, so that no proxy's idle timeout
 * closes a quiet stream, and a client that went away is noticed and dropped.
 */
@ApplicationScoped
public class TaskEvents {

    private static final Logger LOG = Logger.getLogger(TaskEvents.class.getName());
    private static final long POLL_MS = 500;
    private static final long GAP_MS = 30_000;

    @Inject
    EventLog log;
    @Inject
    AgentBatchConfig config;
    @Resource
    ManagedScheduledExecutorService executor;

    /** One client of a stream: takes the events, and a keep-alive now and then. */
    public interface Follower extends Consumer<TaskEvent> {
        void keepAlive();
    }

    private final Map<Long, Set<Follower>> followers = new ConcurrentHashMap<>();
    private final Set<Follower> everything = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private final Object pollLock = new Object();
    /** Ids below the cursor not seen yet, with when they were first missed. */
    private final Map<Long, Instant> gaps = new TreeMap<>();
    private long cursor;
    private ScheduledFuture<?> ticker;
    /** When the followers last got a keep-alive (nanoTime); only the ticker reads and writes it. */
    private long keptAliveAt = System.nanoTime();

    public void follow(long taskId, Follower follower) {
        start();
        followers.computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet()).add(follower);
    }

    public void unfollow(long taskId, Follower follower) {
        followers.computeIfPresent(taskId, (k, set) -> {
            set.remove(follower);
            return set.isEmpty() ? null : set;
        });
    }

    /** Follows every task (the console's stream). */
    public void followAll(Follower follower) {
        start();
        everything.add(follower);
    }

    public void unfollowAll(Follower follower) {
        everything.remove(follower);
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TaskEvent event) {
        poke();
    }

    void signalled(@Observes ClusterSignals.Signal signal) {
        if (signal == ClusterSignals.Signal.EVENTS) {
            poke();
        }
    }

    /** Asks for a poll soon; pokes while one is queued collapse into it. */
    public void poke() {
        if (hasFollowers() && pollQueued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    pollQueued.set(false);
                    poll();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // no poll now (the server suspends, or its executor is full); the next poke or the ticker polls, so a
                // refused poke must not leave pollQueued set, which would swallow every later poke
                pollQueued.set(false);
                LOG.fine(() -> "no event poll now: " + e.getMessage());
            }
        }
    }

    /**
     * Before a follower is added: when nobody followed, the cursor was left behind; it starts again a little before the
     * newest event (ids a late transaction may still fill are read again; followers drop what they already have).
     */
    private synchronized void start() {
        if (!hasFollowers()) {
            synchronized (pollLock) {
                cursor = Math.max(0, log.latestId() - 200);
                gaps.clear();
            }
        }
        if (ticker == null) {
            ticker = executor.scheduleWithFixedDelay(() -> {
                if (hasFollowers()) {
                    poll();
                    keepAliveWhenDue();
                }
            }, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
    }

    private boolean hasFollowers() {
        return !followers.isEmpty() || !everything.isEmpty();
    }

    void poll() {
        synchronized (pollLock) {
            try {
                List<TaskEvent> found = new ArrayList<>(log.withIds(gaps.keySet()));
                found.addAll(log.after(cursor, 1000));
                Instant now = Instant.now();
                for (TaskEvent e : found) {
                    gaps.remove(e.id());
                    if (e.id() > cursor) {
                        if (e.id() - cursor < 10_000) { // not a jump of the identity (H2 skips ahead after a crash)
                            for (long missing = cursor + 1; missing < e.id(); missing++) {
                                gaps.putIfAbsent(missing, now);
                            }
                        }
                        cursor = e.id();
                    }
                    deliver(e);
                }
                gaps.values().removeIf(since -> since.plusMillis(GAP_MS).isBefore(now));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not read new task events; the next poll tries again", e);
            }
        }
    }

    /** Every {@link AgentBatchConfig#sseKeepAlive()}: a comment to every follower (a dead one drops out on the write). */
    private void keepAliveWhenDue() {
        long now = System.nanoTime();
        if (now - keptAliveAt < config.sseKeepAlive().toNanos()) {
            return;
        }
        keptAliveAt = now;
        try {
            followers.values().forEach(set -> set.forEach(Follower::keepAlive));
            everything.forEach(Follower::keepAlive);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "a keep-alive could not be written", e);
        }
    }

    private void deliver(TaskEvent event) {
        Set<Follower> set = followers.get(event.taskId());
        if (set != null) {
            set.forEach(f -> f.accept(event));
        }
        everything.forEach(f -> f.accept(event));
    }
}
