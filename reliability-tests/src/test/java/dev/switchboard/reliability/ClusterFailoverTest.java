package dev.switchboard.reliability;

import dev.switchboard.reliability.ClusterAudit.Disruption;
import dev.switchboard.reliability.ClusterNodes.Node;
import dev.switchboard.reliability.ClusterNodes.View;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of a real 3-node cluster ({@code SWITCHBOARD_CLUSTER=postgres}, three call-server JVMs
 * on one PostgreSQL, lease {@code PT2S}, SLA {@code PT2S}) in the middle of client load in which
 * consecutive events of one call go to different nodes: {@code kill -9} of the leader (the
 * service is back within 2 s, and the killed node rejoins as a follower), {@code kill -9} of a
 * follower (no election), the leader frozen with SIGSTOP past its lease (a successor takes over
 * with a higher epoch; after SIGCONT the old leader commits nothing, steps down and follows the
 * new epoch), its lock session ended from PostgreSQL (a new epoch takes over), and a 4th node
 * joining under load (a ready follower whose socket gets every entry from its subscription on).
 *
 * <p>After each, {@link ClusterAudit} proves the same invariants: every acknowledged event stored
 * exactly once and per call in the order acknowledged, seqs 1..max without a hole, each waiting
 * call breached its SLA once (deadlines that fell during the failover included), every Socket.io
 * subscriber on a surviving node got every entry once and in seq order, a client resuming on
 * another node gets exactly the gap, and every node agrees on one leader and one epoch.
 */
class ClusterFailoverTest {

    private static final int NODES = 3;
    private static final Map<String, String> ENV = Map.of("SWITCHBOARD_SLA_MAX_WAIT", ClusterAudit.SLA.toString(),
        "SWITCHBOARD_RETRY_BACKOFF", "PT0.05S");
    /**
     * 6 × up to 60 lifecycles, stopped by the audit long before the bound: a steady flow through
     * the fault, the recovery and a restart.
     */
    private static final ClusterLoad.Shape LOAD = new ClusterLoad.Shape(6, 60, 25, true);
    /** Acknowledged events before the fault, and the load's age then (waiting calls' deadlines keep falling by then). */
    private static final int FAULT_AFTER = 300;
    private static final Duration LOAD_BEFORE = Duration.ofSeconds(3);
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    /** Acknowledged events after the recovery before the audit stops the load. */
    private static final int AFTER_RECOVERY = 150;
    /** From a kill -9 of the leader to the first acknowledgement of a request sent after it. */
    private static final long MAX_FAILOVER_MS = 2_000;
    /** A leader frozen for twice its lease. */
    private static final Duration FROZEN = ClusterNodes.LEASE.multipliedBy(2);
    /** Time for the survivors to agree on a successor (a few lease timeouts). */
    private static final Duration TAKEOVER_TIMEOUT = ClusterNodes.LEASE.multipliedBy(7);

    @Test
    void killDashNineOfTheLeaderFailsOverWithinTwoSecondsAndItRejoinsAsAFollower() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(NODES, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            View before = cluster.awaitAgreement();
            Node leader = cluster.node(before.leaderId());
            audit.watchEveryNode();
            try (ClusterLoad load = ClusterLoad.start(cluster, LOAD)) {
                load.awaitProgress(FAULT_AFTER, LOAD_BEFORE, LOAD_TIMEOUT);
                Disruption kill = audit.disruption("kill -9 of the leader " + leader);
                cluster.kill(leader);
                long failoverMs = load.awaitAckSentAfter(kill.atNanos(), TAKEOVER_TIMEOUT);
                View after = cluster.awaitAgreement(cluster.running(), v -> !v.leaderId().equals(leader.id())
                    && v.epoch() > before.epoch(), TAKEOVER_TIMEOUT);
                long agreedMs = msSince(kill.atNanos());
                assertTrue(failoverMs < MAX_FAILOVER_MS, "first acknowledgement " + failoverMs + " ms after the kill; "
                    + cluster.logs());

                long restartAt = System.nanoTime();
                cluster.restart(leader);
                long rejoinMs = msSince(restartAt);
                View rejoined = cluster.view(leader);
                assertEquals("follower", rejoined.role(), "the old leader rejoins as a follower: " + rejoined);
                assertEquals(after.leaderId(), rejoined.leaderId(), "it follows the new leader");
                assertEquals(after.epoch(), rejoined.epoch(), "a node rejoining causes no election");
                boolean underLoad = load.running();
                audit.watch(leader);
                load.awaitMoreAcks(AFTER_RECOVERY, Duration.ofSeconds(20));

                String audited = audit.verify(load, 0);
                Figures.record("cluster: kill -9 of the leader", "3 nodes, lease " + ClusterNodes.LEASE.toMillis()
                    + " ms: leader " + leader + " (epoch " + before.epoch() + ") killed after " + FAULT_AFTER
                    + "+ acknowledged events; first acknowledgement of a request sent after the kill " + failoverMs
                    + " ms later; survivors agreed on " + after.leaderId() + " (epoch " + after.epoch() + ") after "
                    + agreedMs + " ms; " + leader + " restarted in " + rejoinMs + " ms" + (underLoad ? " under load" : "")
                    + " and rejoined as a follower; " + audited);
            }
        }
    }

    @Test
    void killDashNineOfAFollowerLeavesTheLeaderInPlace() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(NODES, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            View before = cluster.awaitAgreement();
            Node leader = cluster.node(before.leaderId());
            Node follower = cluster.running().stream().filter(n -> n != leader).findFirst().orElseThrow();
            audit.watchEveryNode();
            try (ClusterLoad load = ClusterLoad.start(cluster, LOAD)) {
                load.awaitProgress(FAULT_AFTER, LOAD_BEFORE, LOAD_TIMEOUT);
                double electionsBefore = cluster.metric(leader, "switchboard_cluster_elections_total");
                Disruption kill = audit.disruption("kill -9 of the follower " + follower);
                cluster.kill(follower);
                long firstAckMs = load.awaitAckSentAfter(kill.atNanos(), TAKEOVER_TIMEOUT);
                View after = cluster.awaitAgreement(cluster.running(), v -> v.lists(follower.id(), "down"),
                    TAKEOVER_TIMEOUT);
                long downMs = msSince(kill.atNanos());
                assertTrue(firstAckMs < MAX_FAILOVER_MS, "the service went on: first acknowledgement " + firstAckMs
                    + " ms after the kill");
                assertEquals(before.leaderId(), after.leaderId(), "a follower's death moves no leadership");
                assertEquals(before.epoch(), after.epoch(), "a follower's death causes no election");
                assertEquals(electionsBefore, cluster.metric(leader, "switchboard_cluster_elections_total"),
                    "switchboard_cluster_elections_total of the leader");
                load.awaitMoreAcks(AFTER_RECOVERY, Duration.ofSeconds(20));

                String audited = audit.verify(load, 0);
                Figures.record("cluster: kill -9 of a follower", "3 nodes: follower " + follower + " killed after "
                    + FAULT_AFTER + "+ acknowledged events; first acknowledgement after it " + firstAckMs + " ms; listed"
                    + " down after " + downMs + " ms (lease " + ClusterNodes.LEASE.toMillis() + " ms); leader " + leader
                    + " kept epoch " + before.epoch() + "; " + audited);
            }
        }
    }

    /**
     * The fence: a leader frozen past its lease (a long GC pause, a VM migration) is replaced
     * while it cannot know it; a request it holds when it thaws gets a 503 or is forwarded, never
     * committed under the old epoch, and it reports itself a follower of the new epoch.
     */
    @Test
    void aLeaderFrozenPastItsLeaseIsFencedAndStepsDown() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(NODES, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            View before = cluster.awaitAgreement();
            Node leader = cluster.node(before.leaderId());
            audit.watchEveryNode();
            String probeCall = "probe-" + Long.toString(System.currentTimeMillis(), 36);
            String probeBody = "{\"event_id\":\"p\",\"type\":\"call_initiated\",\"call_id\":\"" + probeCall
                + "\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}}";
            try (ClusterLoad load = ClusterLoad.start(cluster, LOAD)) {
                load.awaitProgress(FAULT_AFTER, LOAD_BEFORE, LOAD_TIMEOUT);
                double fencedBefore = cluster.metric(leader, "switchboard_cluster_fenced_commits_total");
                double forwardedBefore = cluster.metric(leader, "switchboard_cluster_forwarded_events_total");
                Disruption freeze = audit.disruption("SIGSTOP of the leader " + leader + " for " + FROZEN.toMillis() + " ms");
                cluster.pause(leader);
                // held in the frozen node's socket buffers until SIGCONT
                long probeSent = System.nanoTime();
                CompletableFuture<Optional<Integer>> probe = CompletableFuture.supplyAsync(
                    () -> postOnItsOwnConnection(leader.baseUrl(), probeBody, Duration.ofSeconds(30)));

                View taken = cluster.awaitAgreement(cluster.running(), v -> !v.leaderId().equals(leader.id())
                    && v.epoch() > before.epoch(), TAKEOVER_TIMEOUT);
                long takeoverMs = msSince(freeze.atNanos());
                assertEquals(List.of(taken.leaderId()), cluster.lockHolders(),
                    "PostgreSQL ended the frozen leader's lock session: only the successor's holds the lock");
                long left = FROZEN.toMillis() - msSince(freeze.atNanos());
                if (left > 0) {
                    Thread.sleep(left);
                }
                assertFalse(probe.isDone(), "a frozen node answers nothing");
                long frozenMs = msSince(freeze.atNanos());
                cluster.resume(leader);

                Optional<Integer> first = probe.get(40, TimeUnit.SECONDS);
                assertTrue(first.isPresent() && Set.of(200, 201, 503).contains(first.get()),
                    "the request held by the deposed leader got 503 or a forwarded 2xx, got " + first + "; " + cluster.logs());
                View stepped = cluster.awaitView(leader, v -> v.role().equals("follower") && v.epoch() == taken.epoch()
                    && taken.leaderId().equals(v.leaderId()), TAKEOVER_TIMEOUT);
                long steppedDownMs = msSince(freeze.atNanos()) - frozenMs;
                assertEquals(0.0, cluster.metric(leader, "switchboard_cluster_leader"), "switchboard_cluster_leader of " + leader);
                assertEquals(taken.epoch(), (long) cluster.metric(leader, "switchboard_cluster_epoch"),
                    "switchboard_cluster_epoch of " + leader);
                double fenced = cluster.metric(leader, "switchboard_cluster_fenced_commits_total") - fencedBefore;
                double forwarded = cluster.metric(leader, "switchboard_cluster_forwarded_events_total") - forwardedBefore;
                if (first.get() != 503) {
                    assertTrue(forwarded > 0, "a 2xx from a deposed leader can only be a forward; forwarded " + forwarded);
                }
                assertTrue(load.adoptWaiting(probeCall, "p", probeBody, first, leader, probeSent),
                    "the probe acknowledged in the end; " + load.failures());
                load.awaitMoreAcks(AFTER_RECOVERY, Duration.ofSeconds(20));

                // how many waiting calls' deadlines fall inside the outage depends on the box's timing (3–8
                // here, 0 once in CI under load); every waiting call's single breach is checked either way,
                // and ClusterModeTest has a deadline that falls in the gap and fires once on the new leader
                String audited = audit.verify(load, 0);
                Figures.record("cluster: SIGSTOP of the leader past its lease", "3 nodes, lease "
                    + ClusterNodes.LEASE.toMillis() + " ms: leader " + leader + " (epoch " + before.epoch() + ") frozen "
                    + frozenMs + " ms; survivors agreed on " + taken.leaderId() + " (epoch " + taken.epoch() + ") "
                    + takeoverMs + " ms after the SIGSTOP; the request it held answered " + first.get()
                    + " after SIGCONT; it reported follower of epoch " + stepped.epoch() + " " + steppedDownMs
                    + " ms after SIGCONT; on it: " + (long) fenced + " fenced commits, " + (long) forwarded
                    + " events forwarded since; " + audited);
            }
        }
    }

    @Test
    void endingTheLeadersLockSessionInPostgresElectsANewEpoch() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(NODES, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            View before = cluster.awaitAgreement();
            Node leader = cluster.node(before.leaderId());
            audit.watchEveryNode();
            try (ClusterLoad load = ClusterLoad.start(cluster, LOAD)) {
                load.awaitProgress(FAULT_AFTER, LOAD_BEFORE, LOAD_TIMEOUT);
                assertEquals(List.of(leader.id()), cluster.lockHolders(), "the leader's lock session holds the lock");
                Disruption cut = audit.disruption("pg_terminate_backend of " + leader + "'s lock session");
                assertEquals(1, cluster.terminateLockSession(leader.id()), "one lock session of " + leader + " ended; "
                    + cluster.logs());
                View after = cluster.awaitAgreement(cluster.running(), v -> v.epoch() > before.epoch(), TAKEOVER_TIMEOUT);
                long agreedMs = msSince(cut.atNanos());
                long agreedAt = System.nanoTime();
                long servedMs = load.awaitAckSentAfter(agreedAt, TAKEOVER_TIMEOUT);
                long firstAckMs = load.firstAckSentAfter(cut.atNanos()).orElseThrow();
                load.awaitMoreAcks(AFTER_RECOVERY, Duration.ofSeconds(20));

                String audited = audit.verify(load, 0);
                Figures.record("cluster: the leader's lock session ended in PostgreSQL", "3 nodes: lock session of "
                    + leader + " (epoch " + before.epoch() + ") terminated after " + FAULT_AFTER + "+ acknowledged events; "
                    + (after.leaderId().equals(leader.id()) ? "the same node re-elected" : after.leaderId() + " took over")
                    + " with epoch " + after.epoch() + ", all agreed " + agreedMs + " ms after the cut; first acknowledgement"
                    + " after the cut " + firstAckMs + " ms, after the agreement " + servedMs + " ms; " + audited);
            }
        }
    }

    @Test
    void aFourthNodeJoiningUnderLoadBecomesAReadyFollowerWithTheWholeFeed() throws Exception {
        // lighter: a JVM starting on 2 cores next to three busy ones must still find the load running when it is ready
        ClusterLoad.Shape shape = new ClusterLoad.Shape(6, 60, 60, true);
        try (ClusterNodes cluster = ClusterNodes.start(NODES, ENV); ClusterAudit audit = new ClusterAudit(cluster)) {
            View before = cluster.awaitAgreement();
            audit.watchEveryNode();
            try (ClusterLoad load = ClusterLoad.start(cluster, shape)) {
                load.awaitProgress(FAULT_AFTER / 2, LOAD_BEFORE, LOAD_TIMEOUT);
                Disruption join = audit.disruption("a 4th node joins");
                Node fourth = cluster.addNode();
                long joinMs = msSince(join.atNanos());
                assertTrue(load.running(), "the load still ran when " + fourth + " became ready (" + joinMs + " ms)");
                View own = cluster.view(fourth);
                assertEquals("follower", own.role(), fourth + " joins as a follower: " + own);
                assertEquals(before.leaderId(), own.leaderId(), fourth + " follows the leader");
                assertEquals(before.epoch(), own.epoch(), "a node joining causes no election");
                cluster.awaitAgreement(cluster.running(), v -> v.lists(fourth.id(), "follower")
                    && v.leaderId().equals(before.leaderId()) && v.epoch() == before.epoch(), TAKEOVER_TIMEOUT);
                audit.watch(fourth);
                load.awaitMoreAcks(AFTER_RECOVERY * 2, Duration.ofSeconds(20));
                long throughFourth = load.acksByNode().getOrDefault(fourth.id(), 0L);
                assertTrue(throughFourth > 0, "clients were acknowledged through " + fourth + " too");

                String audited = audit.verify(load, 0);
                Figures.record("cluster: a 4th node joins under load", "3 nodes + 1: " + fourth + " ready "
                    + joinMs + " ms after its launch, a follower of " + before.leaderId() + " (epoch " + before.epoch()
                    + " unchanged), " + throughFourth + " events acknowledged through it; " + audited);
            }
        }
    }

    /**
     * A POST on a new connection (a pooled one could be one the server closed before it froze,
     * failing at once): the status, or empty when no reply came within {@code timeout}.
     */
    private static Optional<Integer> postOnItsOwnConnection(String baseUrl, String body, Duration timeout) {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build()) {
            return Optional.of(http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/events")).timeout(timeout)
                .header("X-API-Key", TestServer.INGEST_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
