package dev.agentbatch.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Wakes the other nodes when something they care about committed, with PostgreSQL's LISTEN/NOTIFY: a submission or a
 * hand-off (their dispatchers: dispatch latency holds on several nodes) and new task events (their event relays). A
 * NOTIFY sent in a transaction is delivered only when it commits, so a signal never runs ahead of its data. Each node
 * listens on one dedicated connection (not a pooled one, which LISTEN would pin and validation could close), and fires
 * {@link Signal} as a CDI event. Signals are hints: the dispatcher's sweep and the relay's poll are the safety nets, and
 * after a reconnect both are fired at once. On H2 (one node) there is no one to wake and this does nothing.
 */
@ApplicationScoped
public class ClusterSignals {

    /** What changed. */
    public enum Signal {
        QUEUE, EVENTS
    }

    private static final Logger LOG = Logger.getLogger(ClusterSignals.class.getName());
    private static final String CHANNEL = "agent_batch";

    @PersistenceContext
    EntityManager em;
    @Inject
    Database database;
    @Inject
    Event<Signal> signals;
    @Resource
    ManagedThreadFactory threads;

    private volatile boolean running;
    private Thread listener;

    /** Tells the other nodes, when the caller's transaction commits, that the queue changed. */
    public void queueChanged() {
        send(Signal.QUEUE);
    }

    /** Tells the other nodes, when the caller's transaction commits, that task events were written. */
    public void eventsChanged() {
        send(Signal.EVENTS);
    }

    private void send(Signal signal) {
        if (database.isPostgres()) {
            em.createNativeQuery("select pg_notify('" + CHANNEL + "', ?1)").setParameter(1, signal.name()).getSingleResult();
        }
    }

    void start(@Observes @Priority(3) @Initialized(ApplicationScoped.class) Object event) {
        if (!database.isPostgres()) {
            return;
        }
        running = true;
        listener = threads.newThread(this::listen);
        listener.setName("agent-batch-signals");
        listener.start();
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        while (running) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                LOG.info(() -> "listening for other nodes' signals on channel " + CHANNEL);
                fire(Signal.QUEUE); // whatever was sent while this node was not listening
                fire(Signal.EVENTS);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(1000);
                    for (PGNotification n : received == null ? new PGNotification[0] : received) {
                        fire(Signal.valueOf(n.getParameter()));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "the signal listener lost its connection; reconnecting in 1 s", e);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    private void fire(Signal signal) {
        try {
            signals.fire(signal);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a " + signal + " signal could not be handled", e);
        }
    }

    /** The datasource's own database and credentials (the environment it was configured from), outside the pool. */
    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", env("AGENT_BATCH_DB_USER", ""));
        p.setProperty("password", env("AGENT_BATCH_DB_PASSWORD", ""));
        p.setProperty("ApplicationName", "agent-batch-signals");
        p.setProperty("tcpKeepAlive", "true");
        return new org.postgresql.Driver().connect(env("AGENT_BATCH_DB_URL", ""), p);
    }

    private static String env(String name, String fallback) {
        return AgentBatchConfig.get(name).orElse(fallback);
    }
}
