package dev.agentbatch.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.agentbatch.config.AgentBatchConfig;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * This node's membership of the cluster: it joins AGENT_NODE at deployment start, keeps a heartbeat every
 * AGENT_BATCH_NODE_HEARTBEAT_MS, and leaves when the deployment stops. It holds a <em>lease</em> while its last
 * heartbeat is younger than AGENT_BATCH_NODE_LEASE_MS: only then may the dispatcher claim or take over work. A node
 * that finds its previous heartbeat older than the lease (it was frozen, or cut off from the database) has been
 * declared dead by the others, who may have taken its tasks: its stale executions are fenced by the epoch, and it
 * starts again with a fresh lease, never with the old one.
 *
 * <p>Two live nodes may not share a name: a node that finds its name's row alive under another boot waits for the
 * lease to tell whether that is its own dead predecessor (the heartbeat stops) or a live twin (it moves on), and in
 * that case refuses to start.
 */
@ApplicationScoped
public class NodeLease {

    private static final Logger LOG = Logger.getLogger(NodeLease.class.getName());

    @Inject
    NodeRegistry registry;
    @Inject
    AgentBatchConfig config;
    /**
     * The heartbeat has a thread of its own: on the shared scheduler it waited behind the dispatcher's passes, which
     * hold a thread while they start hundreds of jobs, and a busy node lost its lease (14.7 s without a beat in B3 at
     * 1000 tasks), stopped dispatching and, with other nodes, would have been taken over while alive.
     */
    @Resource
    ManagedThreadFactory threads;

    private final String instanceId = UUID.randomUUID().toString();
    private volatile long lastBeatNanos;
    private volatile boolean member;
    private volatile boolean beating;
    private final Object pause = new Object();
    private Thread heartbeat;

    void join(@Observes @Priority(2) @Initialized(ApplicationScoped.class) Object event) {
        String name = config.nodeId();
        Duration lease = config.nodeLease();
        int cap = config.maxConcurrentTasks();
        while (!registry.insert(name, instanceId, cap)) {
            NodeRegistry.Node previous = registry.find(name).orElse(null);
            if (previous == null) {
                continue; // deleted meanwhile: insert again
            }
            if (!previous.alive(lease) || stopsBeating(previous, lease)) {
                if (registry.replace(name, previous.instanceId(), instanceId, cap)) {
                    LOG.info(() -> "node " + name + " rejoins (its previous run's heartbeat is " + previous.heartbeatAge().toMillis()
                            + " ms old, " + previous.state() + ")");
                    break;
                }
                continue; // another boot took it at the same moment: look again
            }
            throw new IllegalStateException("node name " + name + " is in use by a live node (its heartbeat keeps moving):"
                    + " give this node another AGENT_BATCH_NODE_ID; two live nodes never share a name");
        }
        lastBeatNanos = System.nanoTime();
        member = true;
        long every = config.nodeHeartbeat().toMillis();
        beating = true;
        heartbeat = threads.newThread(() -> beatEvery(every));
        heartbeat.setName("agent-batch-heartbeat");
        heartbeat.start();
        LOG.info(() -> "node " + name + " joined (heartbeat every " + every + " ms, lease " + lease.toMillis() + " ms, cap " + cap + ")");
    }

    /** Waits up to a lease for the row's heartbeat: true when it stopped (a dead predecessor), false when it moved. */
    private boolean stopsBeating(NodeRegistry.Node seen, Duration lease) {
        long end = System.nanoTime() + lease.plus(config.nodeHeartbeat()).toNanos();
        while (System.nanoTime() < end) {
            sleep(config.nodeHeartbeat().toMillis() / 2 + 1);
            Optional<NodeRegistry.Node> now = registry.find(seen.name());
            if (now.isEmpty() || !now.get().alive(lease)) {
                return true;
            }
            if (!now.get().heartbeatAt().equals(seen.heartbeatAt()) || !now.get().instanceId().equals(seen.instanceId())) {
                return false;
            }
        }
        return true;
    }

    /** Beats until {@link #leave}, which wakes it without an interrupt (an interrupt in H2's file I/O closes the database). */
    private void beatEvery(long everyMs) {
        while (true) {
            synchronized (pause) {
                long until = System.nanoTime() + everyMs * 1_000_000;
                for (long left = everyMs; beating && left > 0; left = (until - System.nanoTime()) / 1_000_000) {
                    try {
                        pause.wait(left);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (!beating) {
                    return;
                }
            }
            beat();
        }
    }

    void beat() {
        Duration lease = config.nodeLease();
        try {
            Optional<Duration> previousAge = registry.beat(config.nodeId(), instanceId, config.maxConcurrentTasks());
            if (previousAge.isEmpty()) {
                if (member) {
                    LOG.severe(() -> "node " + config.nodeId() + ": its row belongs to another run of a node with the same"
                            + " name; this node claims no more work");
                }
                member = false;
                return;
            }
            if (previousAge.get().compareTo(lease) >= 0) {
                LOG.warning(() -> "node " + config.nodeId() + " lost its lease: its previous heartbeat was "
                        + previousAge.get().toMillis() + " ms old (lease " + lease.toMillis() + " ms); the others may have"
                        + " taken its tasks, whose executions here are fenced; it works again with a fresh lease");
            }
            lastBeatNanos = System.nanoTime();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + config.nodeId() + ": heartbeat failed; the lease runs out "
                    + Duration.ofNanos(System.nanoTime() - lastBeatNanos).toMillis() + " ms after the last one", e);
        }
    }

    /** Whether this node may claim or take over work now: a member whose last heartbeat is younger than the lease. */
    public boolean holdsLease() {
        return member && System.nanoTime() - lastBeatNanos < config.nodeLease().toNanos();
    }

    public String instanceId() {
        return instanceId;
    }

    void leave(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        synchronized (pause) {
            beating = false;
            pause.notifyAll();
        }
        if (heartbeat != null) {
            try {
                heartbeat.join(5_000); // no beat after the leave below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (member) {
            member = false;
            try {
                registry.leave(config.nodeId(), instanceId);
                LOG.info(() -> "node " + config.nodeId() + " left");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "node " + config.nodeId() + " could not record that it left; its lease runs out", e);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
