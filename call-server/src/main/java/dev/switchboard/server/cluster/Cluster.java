package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.observe.Readiness;
import dev.switchboard.server.observe.Telemetry;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.store.Retention;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.Wire;
import io.helidon.dbclient.DbRow;
import io.helidon.health.HealthCheckResponse;
import io.helidon.webserver.http.HttpRouting;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cluster mode ({@code SWITCHBOARD_CLUSTER=postgres}): several nodes on one PostgreSQL database,
 * one of them the leader. This class is the node's part in it: one thread that competes for the
 * lead (every {@link #TICK_MS}), heartbeats the lock session while leading, and records the node
 * in {@code cluster_nodes}; the transitions between follower and leader; {@code GET /api/cluster}.
 *
 * <p><b>Taking the lead</b> (the lock is free: the leader died, stopped, or lost its session):
 * bump the epoch (waiting for a commit of the old leader in flight), pause the {@link Feed}, apply
 * what is left of the log, reload the webhook subscriptions, then {@link Ingestor#lead}: timers
 * armed from the committed state, so deadlines that passed in the gap fire once, at the first
 * poll. <b>Stepping down</b> (the lock session is gone, or a commit was fenced): stop deciding at
 * once, drop the session, follow the log again from the last applied entry.
 *
 * <p>See docs/cluster.md for the design, the failure modes and the proofs.
 */
public final class Cluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    /** How often a follower tries the lock, and the cluster thread's period. */
    static final long TICK_MS = 100;

    private final ServerConfig config;
    private final ServerConfig.Cluster settings;
    private final Store store;
    private final Ingestor ingestor;
    private final Outbox outbox;
    private final Leadership leadership;
    private final Feed feed;
    private final Forwarder forwarder;
    private final String agreement;
    private final Instant startedAt = Instant.now();
    private final LongAdder elections = new LongAdder();
    private final AtomicBoolean fenced = new AtomicBoolean();
    private volatile Optional<Leadership.Leader> leader = Optional.empty();
    private volatile long leaderMaxSeq;
    private volatile boolean running = true;
    /** Whether this node acts as leader (feed paused, lock held): changed by the cluster thread only. */
    private volatile boolean leads;
    private Thread thread;

    private Cluster(ServerConfig config, Store store, Ingestor ingestor, SocketHub hub, Outbox outbox) {
        this.config = config;
        this.settings = config.cluster();
        this.store = store;
        this.ingestor = ingestor;
        this.outbox = outbox;
        this.leadership = new Leadership(config);
        this.agreement = Agreement.of(config);
        this.feed = new Feed(config, store, ingestor, hub, this::refreshLeader);
        this.forwarder = new Forwarder(settings.secret(), settings.nodeUrl(), () -> leader, this::refreshLeader,
            settings.leaseTimeout().multipliedBy(2).plusSeconds(1), ingestor);
    }

    /**
     * Joins the cluster: the ingestor has recovered and the hub started (both idle). Refuses a
     * configuration that differs from the running leader's; takes the lead at once if nobody
     * holds it, else follows.
     *
     * @throws ServerConfig.ConfigException when this node's queues or thresholds differ from the leader's
     */
    public static Cluster join(ServerConfig config, Store store, Ingestor ingestor, SocketHub hub, Outbox outbox,
                               Retention retention) throws SQLException {
        Cluster c = new Cluster(config, store, ingestor, hub, outbox);
        outbox.onlyWhile(ingestor::leading);
        retention.onlyWhile(ingestor::leading);
        ingestor.forwardTo(c.forwarder);
        ingestor.onFenced(() -> c.fenced.set(true));
        boolean free = c.leadership.tryAcquire();
        if (!free) {
            Optional<Leadership.Leader> current = c.leadership.leader();
            if (current.isPresent() && current.get().config() != null) {
                List<String> diff = Agreement.differences(current.get().config(), c.agreement);
                if (!diff.isEmpty()) {
                    c.leadership.close();
                    throw new ServerConfig.ConfigException("this node's configuration differs from the leader's ("
                        + current.get().nodeId() + "): " + String.join("; ", diff)
                        + ". Every node of a cluster needs the same queues and thresholds");
                }
            }
            c.leader = current;
        }
        c.feed.start();
        if (free) {
            c.takeLead();
        } else {
            c.feed.resume();
        }
        c.forwarder.start();
        c.beat();
        c.thread = Thread.ofPlatform().name("switchboard-cluster").daemon().start(c::loop);
        return c;
    }

    /** Registers {@code GET /api/cluster} and the node-to-node routes; the proxy filter goes after the key check. */
    public void routing(HttpRouting.Builder r, Auth auth) {
        ClusterService service = new ClusterService(this, ingestor, auth, settings.secret(), config.maxBodyBytes());
        r.addFilter(new LeaderProxy(settings.nodeId(), ingestor, () -> leader));
        r.register("/cluster", service);
        r.register("/api", service.status());
    }

    /** Readiness: up on the leader, and on a follower that follows a leader and has caught up. */
    public Readiness readiness() {
        return new Readiness("cluster", () -> {
            boolean leading = ingestor.leading();
            long caughtUp = feed.caughtUpAtMs();
            boolean up = leading || leader.isPresent() && System.currentTimeMillis() - caughtUp
                < Math.max(settings.leaseTimeout().toMillis(), 2_000);
            return HealthCheckResponse.builder().status(up)
                .detail("role", leading ? "leader" : "follower")
                .detail("epoch", leading ? ingestor.epoch() : leader.map(Leadership.Leader::epoch).orElse(0L))
                .detail("applied_seq", ingestor.appliedSeq())
                .build();
        });
    }

    /** The cluster's figures on {@code /metrics}. */
    public void bind(Telemetry t) {
        t.gauge("switchboard_cluster_leader", "1 on the node that leads the cluster, else 0", () -> ingestor.leading() ? 1 : 0);
        t.gauge("switchboard_cluster_epoch", "the leadership epoch this node knows",
            () -> ingestor.leading() ? ingestor.epoch() : leader.map(Leadership.Leader::epoch).orElse(0L));
        t.counter("switchboard_cluster_elections", "times this node took the lead", elections::sum);
        t.counter("switchboard_cluster_fenced_commits", "commits refused because another node had taken the lead",
            ingestor::fencedCommits);
        t.counter("switchboard_cluster_forwarded_events", "events this node handed to the leader", forwarder::forwarded);
        t.gauge("switchboard_cluster_feed_lag", "log entries committed by the leader and not yet applied here",
            () -> ingestor.leading() ? 0 : Math.max(0, leaderMaxSeq - ingestor.appliedSeq()));
    }

    // ------------------------------------------------------------------ the cluster thread

    private void loop() {
        long beatEvery = Math.min(1_000, settings.leaseTimeout().toMillis() / 4);
        long heartbeatEvery = settings.leaseTimeout().toMillis() / 4;
        long lastBeat = System.currentTimeMillis();
        long lastHeartbeat = lastBeat;
        while (running) {
            LockSupport.parkNanos(TICK_MS * 1_000_000);
            if (!running) {
                return;
            }
            try {
                long now = System.currentTimeMillis();
                if (leads && (fenced.getAndSet(false) || !ingestor.leading())) {
                    stepDown("a commit was refused: another node has taken the lead");
                } else if (leads) {
                    if (now - lastHeartbeat >= heartbeatEvery) {
                        lastHeartbeat = now;
                        if (!leadership.heartbeat()) {
                            stepDown("the lock session with PostgreSQL is gone (lease lost)");
                        }
                    }
                } else if (leadership.tryAcquire()) {
                    takeLead();
                    lastHeartbeat = System.currentTimeMillis();
                }
                if (now - lastBeat >= beatEvery) {
                    lastBeat = now;
                    beat();
                }
            } catch (Exception e) {
                LOG.log(Level.WARNING, "cluster round failed (retrying): " + e.getMessage());
                if (leads && !leadership.heartbeat()) {
                    stepDown("the lock session with PostgreSQL is gone (lease lost)");
                }
            }
        }
    }

    private void takeLead() {
        long t0 = System.nanoTime();
        try {
            fenced.set(false);
            long epoch = leadership.takeOver(agreement);
            leads = true;
            feed.pause();
            long applied = feed.catchUp();
            outbox.reload();
            ingestor.lead(epoch);
            elections.increment();
            leader = Optional.of(new Leadership.Leader(epoch, settings.nodeId(), settings.nodeUrl(), Instant.now(), agreement));
            LOG.info(String.format("this node (%s) leads the cluster, epoch %d, from seq %d (%d entries caught up, %.0f ms)",
                settings.nodeId(), epoch, ingestor.lastSeq(), applied, (System.nanoTime() - t0) / 1e6));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "taking the lead failed; following again: " + e.getMessage());
            leads = false;
            ingestor.follow();
            leadership.drop();
            feed.resume();
        }
    }

    private void stepDown(String why) {
        leads = false;
        ingestor.follow();
        leadership.drop();
        feed.resume();
        refreshLeader();
        LOG.warning("this node (" + settings.nodeId() + ") no longer leads: " + why + "; following the log from seq "
            + ingestor.appliedSeq());
    }

    /** Reads who leads (after a notification, a failed forward, and every heartbeat). */
    void refreshLeader() {
        if (ingestor.leading()) {
            return;
        }
        try {
            leader = store.db().execute().get("SELECT epoch, node_id, url, since, config FROM cluster_leader WHERE id = 1")
                .filter(r -> r.column("node_id").get(String.class) != null)
                .map(r -> new Leadership.Leader(r.column("epoch").get(Long.class), r.column("node_id").get(String.class),
                    r.column("url").get(String.class), Instant.ofEpochMilli(Store.millis(r.column("since").get())),
                    r.column("config").get(String.class)));
        } catch (RuntimeException e) {
            LOG.fine("cannot read the leader: " + e.getMessage());
        }
    }

    /** Records this node in {@code cluster_nodes}. */
    private void beat() {
        try {
            leaderMaxSeq = ingestor.leading() ? ingestor.lastSeq() : store.maxSeq();
            store.db().execute().dml("INSERT INTO cluster_nodes (node_id, url, role, epoch, applied_seq, started_at, last_seen) "
                    + "VALUES (?, ?, ?, ?, ?, ?, now()) ON CONFLICT (node_id) DO UPDATE SET url = EXCLUDED.url, "
                    + "role = EXCLUDED.role, epoch = EXCLUDED.epoch, applied_seq = EXCLUDED.applied_seq, "
                    + "started_at = EXCLUDED.started_at, last_seen = now()",
                settings.nodeId(), settings.nodeUrl(), ingestor.leading() ? "leader" : "follower",
                ingestor.leading() ? ingestor.epoch() : leader.map(Leadership.Leader::epoch).orElse(0L),
                ingestor.appliedSeq(), startedAt.atOffset(ZoneOffset.UTC));
            if (!ingestor.leading()) {
                refreshLeader();
            }
        } catch (Exception e) {
            LOG.fine("node heartbeat failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ status

    /** {@code GET /api/cluster}. */
    ObjectNode statusJson() {
        ObjectNode n = Wire.object();
        n.put("mode", "postgres");
        n.put("node_id", settings.nodeId());
        n.put("role", ingestor.leading() ? "leader" : "follower");
        Optional<DbRow> row = store.db().execute().get("SELECT epoch, node_id, url, since FROM cluster_leader WHERE id = 1");
        n.put("epoch", row.map(r -> r.column("epoch").get(Long.class)).orElse(0L));
        if (row.isPresent() && row.get().column("node_id").get(String.class) != null) {
            ObjectNode l = n.putObject("leader");
            l.put("node_id", row.get().column("node_id").get(String.class));
            l.put("url", row.get().column("url").get(String.class));
            l.put("since", Wire.instant(Store.millis(row.get().column("since").get())));
        } else {
            n.putNull("leader");
        }
        long maxSeq = store.maxSeq();
        long staleMs = settings.leaseTimeout().toMillis();
        ArrayNode nodes = n.putArray("nodes");
        store.db().execute().query("SELECT node_id, url, role, applied_seq, last_seen, "
                + "last_seen < now() - make_interval(secs => ?) AS stale FROM cluster_nodes ORDER BY node_id",
                staleMs / 1000.0)
            .forEach(r -> {
                ObjectNode j = nodes.addObject();
                j.put("node_id", r.column("node_id").get(String.class));
                j.put("url", r.column("url").get(String.class));
                boolean stale = r.column("stale").get(Boolean.class);
                String role = r.column("role").get(String.class);
                boolean leads = n.path("leader").path("node_id").asText("").equals(j.path("node_id").asText());
                j.put("role", stale ? "down" : leads ? "leader" : "follower".equals(role) || "leader".equals(role) ? "follower" : role);
                j.put("last_seen", Wire.instant(Store.millis(r.column("last_seen").get())));
                j.put("lag", leads && !stale ? 0 : Math.max(0, maxSeq - r.column("applied_seq").get(Long.class)));
            });
        return n;
    }

    /**
     * Leaves the cluster (after the ingestor's last commit): gives the lock up at once, so another
     * node takes the lead without waiting for the lease, and stops following.
     */
    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forwarder.close();
        feed.close();
        ingestor.follow();
        try {
            store.db().execute().dml("DELETE FROM cluster_nodes WHERE node_id = ?", settings.nodeId());
        } catch (RuntimeException e) {
            LOG.fine("cannot remove this node from cluster_nodes: " + e.getMessage());
        }
        leadership.close();
    }
}
