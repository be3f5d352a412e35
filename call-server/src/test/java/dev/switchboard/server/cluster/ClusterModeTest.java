package dev.switchboard.server.cluster;

import dev.switchboard.server.Events;
import dev.switchboard.server.SocketClient;
import dev.switchboard.server.TestServer;
import dev.switchboard.server.config.ServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two cluster nodes in this JVM on one PostgreSQL database (the multi-process faults are in
 * reliability-tests): one leads, events posted to either are committed once, in order, and
 * every socket on either node gets the same pushes; the leader's actions through a follower;
 * a leader that stops hands over (timers fire on the new one, once); a fenced leader steps down;
 * a node with other thresholds refuses to join.
 */
class ClusterModeTest {

    private static final String SECRET = "cluster-secret-0123456789";

    private TestServer n1;
    private TestServer n2;

    private static Map<String, String> node(String id) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_CLUSTER", "postgres");
        env.put("SWITCHBOARD_CLUSTER_SECRET", SECRET);
        env.put("SWITCHBOARD_NODE_ID", id);
        env.put("SWITCHBOARD_LEASE_TIMEOUT", "PT2S");
        env.put("SWITCHBOARD_SLA_MAX_WAIT", "PT1S");
        return env;
    }

    /** Each node's SWITCHBOARD_NODE_URL is the default, http://127.0.0.1:<its HTTP port> (host 127.0.0.1). */
    @BeforeEach
    void start() {
        n1 = TestServer.start(TestServer.Backend.POSTGRES, node("n1"));
        n2 = TestServer.joining(n1, node("n2"));
    }

    @AfterEach
    void stop() {
        if (n2 != null) {
            n2.stop();
        }
        if (n1 != null) {
            n1.close();
        }
    }

    private static JsonNode cluster(TestServer t) {
        HttpResponse<String> r = t.get("/api/cluster");
        assertEquals(200, r.statusCode(), r.body());
        return Wire.read(r.body());
    }

    private static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static JsonNode find(TestServer t, String path, String id) {
        for (JsonNode n : Wire.read(t.get(path).body())) {
            if (n.path("id").asText().equals(id)) {
                return n;
            }
        }
        return null;
    }

    @Test
    void queueChangesAndPresenceThroughAFollowerReachEveryNode() throws Exception {
        HttpResponse<String> put = n2.put("/api/queues/medical_german", TestServer.ADMIN_KEY,
            "{\"name\":\"Medical German\",\"agents\":[\"hans\"],\"thresholds\":{\"sl_target\":0.9}}");
        assertEquals(201, put.statusCode(), put.body());
        await(() -> find(n2, "/api/queues", "medical_german") != null, 5_000, "the follower has the new queue");
        assertEquals(0.9, find(n1, "/api/queues", "medical_german").path("thresholds").path("sl_target").asDouble());
        HttpResponse<String> presence = n2.post("/api/agents/hans/presence", TestServer.INGEST_KEY, "application/json",
            "{\"state\":\"not_ready\",\"reason\":\"training\"}");
        assertEquals(200, presence.statusCode(), presence.body());
        await(() -> "training".equals(find(n2, "/api/agents", "hans").path("reason").asText(null)), 5_000,
            "the follower has hans not ready");
        assertEquals("not_ready", find(n1, "/api/agents", "hans").path("presence").asText());
        assertEquals(201, n2.postEvent(Events.initiated("g1", "de-1", "medical_german")).statusCode(),
            "a call into the new queue through the follower");
        assertEquals(204, n1.delete("/api/queues/legal_french", TestServer.ADMIN_KEY).statusCode());
        await(() -> find(n2, "/api/queues", "legal_french") == null, 5_000, "the follower dropped the deleted queue");
    }

    @Test
    void oneLeaderAndEventsThroughEitherNodeReachEverySocketOnceInOrder() throws Exception {
        JsonNode c1 = cluster(n1);
        JsonNode c2 = cluster(n2);
        assertEquals("leader", c1.path("role").asText());
        assertEquals("follower", c2.path("role").asText());
        assertEquals(c1.path("epoch").asLong(), c2.path("epoch").asLong());
        assertEquals("n1", c2.path("leader").path("node_id").asText());
        assertEquals(c1.path("leader"), c2.path("leader"));
        await(() -> cluster(n1).path("nodes").size() == 2, 5_000, "both nodes are listed");
        // readiness follows the follower's heartbeat of its applied seq: give it a beat on a loaded machine
        await(() -> n2.get("/observe/health/ready", null).statusCode() == 200, 10_000, "a caught-up follower is ready");

        try (SocketClient s1 = SocketClient.withAuth(n1, TestServer.SUPERVISOR_KEY);
             SocketClient s2 = SocketClient.withAuth(n2, TestServer.SUPERVISOR_KEY)) {
            s1.subscribe(null);
            s2.subscribe(null);
            List<String> replies = new ArrayList<>();
            TestServer[] nodes = {n2, n1};
            int posted = 0;
            for (int c = 0; c < 5; c++) {
                String call = "cl-" + c;
                String[] events = {
                    Events.initiated("e1", call, "medical_spanish"),
                    Events.routed("e2", call, "agent-" + c),
                    Events.simple("e3", "call_answered", call),
                    Events.ended("e4", call, "completed"),
                };
                for (String e : events) {
                    // consecutive events of one call to different nodes, each after the last was acknowledged
                    HttpResponse<String> r = nodes[posted++ % 2].postEvent(e);
                    assertEquals(201, r.statusCode(), r.body());
                    replies.add(r.body());
                }
            }
            HttpResponse<String> again = n2.postEvent(Events.ended("e4", "cl-0", "completed"));
            assertEquals(200, again.statusCode(), "a resend through a follower is the leader's duplicate");
            assertTrue(new JSONObject(again.body()).getBoolean("duplicate"));
            HttpResponse<String> illegal = n2.postEvent(Events.simple("e9", "call_answered", "cl-1"));
            assertEquals(409, illegal.statusCode(), "the leader's refusal comes back as it is: " + illegal.body());

            try (Connection db = n1.jdbc(); Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*), max(seq), count(DISTINCT seq) FROM call_events")) {
                rs.next();
                long max = rs.getLong(2);
                assertEquals(max, rs.getLong(1), "seq 1..max without a hole");
                s1.awaitEvents((int) max, 5_000);
                s2.awaitEvents((int) max, 5_000);
            }
            Thread.sleep(200);
            assertEquals(s1.seqs(), s2.seqs(), "both sockets got the same entries in the same order");
            for (int i = 0; i < s1.callEvents.size(); i++) {
                assertEquals(dev.switchboard.server.wire.Wire.read(s1.callEvents.get(i).toString()),
                    dev.switchboard.server.wire.Wire.read(s2.callEvents.get(i).toString()),
                    "the follower pushes exactly what the leader pushed: " + s1.callEvents.get(i) + " vs " + s2.callEvents.get(i));
            }
            for (int i = 1; i < s2.seqs().size(); i++) {
                assertEquals(s2.seqs().get(i - 1) + 1, s2.seqs().get(i), "no gap, no duplicate");
            }
            // every reply carries the seq it was committed at; posted one after another, they ascend
            long last = 0;
            for (String r : replies) {
                long seq = new JSONObject(r).getJSONObject("event").getLong("seq");
                assertTrue(seq > last, "applied in the order acknowledged");
                last = seq;
            }
        }
        String metrics = n2.get("/metrics", null).body();
        assertTrue(metrics.contains("switchboard_cluster_leader 0.0"), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("switchboard_cluster_forwarded_events_total")
            && !l.endsWith(" 0.0")), "the follower counts what it forwarded");
        assertTrue(n1.get("/metrics", null).body().contains("switchboard_cluster_leader 1.0"));
    }

    @Test
    void aUserSignedInOnOneNodeActsOnEveryNodeUnderTheirName() throws Exception {
        // accounts and sessions are rows of the shared database: the follower answers them itself
        HttpResponse<String> made = n2.post("/api/users", TestServer.ADMIN_KEY, "application/json",
            "{\"username\":\"nora\",\"password\":\"correct horse battery\",\"role\":\"supervisor\"}");
        assertEquals(201, made.statusCode(), made.body());
        HttpResponse<String> signedIn = n2.post("/api/session", null, "application/json",
            "{\"username\":\"nora\",\"password\":\"correct horse battery\"}");
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        String token = new JSONObject(signedIn.body()).getString("token");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<TestServer, String, java.net.http.HttpRequest.Builder> as = (node, path) ->
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + path)).header("Authorization", "Bearer " + token);
        HttpResponse<String> me = http.send(as.apply(n1, "/api/session").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, me.statusCode(), "a session opened on the follower is valid on the leader: " + me.body());

        assertEquals(201, n1.postEvent(Events.initiated("u1", "user-1", "medical_spanish")).statusCode());
        await(() -> n1.get("/api/alerts?open=true").body().contains("user-1"), 5_000, "the SLA breach is raised");
        String alertId = new JSONArray(n1.get("/api/alerts?open=true").body()).getJSONObject(0).getString("id");
        // the ack through the follower is proxied with the token: the leader's log names nora
        HttpResponse<String> ack = http.send(as.apply(n2, "/api/alerts/" + alertId + "/ack")
            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ack.statusCode(), ack.body());
        assertEquals("nora", new JSONObject(ack.body()).getString("acked_by"));
        try (SocketClient s = SocketClient.withAuth(n2, token)) {
            assertTrue(s.await("connect", 5_000), "the token signs in on the follower's Socket.io: " + s.errors);
        }
    }

    @Test
    void supervisorActionsOnAFollowerAreTheLeadersAndAResumeThereGetsExactlyTheGap() throws Exception {
        assertEquals(201, n1.postEvent(Events.initiated("e1", "sup-1", "medical_spanish")).statusCode());
        await(() -> n1.get("/api/alerts?open=true").body().contains("sla_breach"), 5_000, "the SLA breach is raised");
        String alertId = new JSONArray(n1.get("/api/alerts?open=true").body()).getJSONObject(0).getString("id");
        HttpResponse<String> ack = n2.post("/api/alerts/" + alertId + "/ack", TestServer.SUPERVISOR_KEY, "application/json", "{}");
        assertEquals(200, ack.statusCode(), ack.body());
        assertTrue(new JSONObject(ack.body()).has("acked_at"));
        HttpResponse<String> webhook = n2.post("/api/webhooks", TestServer.ADMIN_KEY, "application/json",
            "{\"url\":\"http://127.0.0.1:9/hook\"}");
        assertEquals(201, webhook.statusCode(), webhook.body());
        assertTrue(n1.get("/api/webhooks", TestServer.ADMIN_KEY).body().contains("127.0.0.1:9/hook"),
            "a subscription added on a follower is the leader's");
        assertEquals(401, n2.post("/cluster/events", null, "application/json", "{\"events\":[]}").statusCode(),
            "node-to-node calls need the cluster secret");

        long seen;
        try (SocketClient s = SocketClient.withAuth(n1, TestServer.SUPERVISOR_KEY)) {
            s.subscribe(null);
            assertEquals(201, n2.postEvent(Events.routed("e2", "sup-1", "agent-x")).statusCode());
            s.awaitEvents(1, 5_000);
            seen = s.seqs().getLast();
        }
        assertEquals(201, n1.postEvent(Events.simple("e3", "call_answered", "sup-1")).statusCode());
        assertEquals(201, n2.postEvent(Events.ended("e4", "sup-1", "completed")).statusCode());
        try (SocketClient r = SocketClient.withAuth(n2, TestServer.SUPERVISOR_KEY)) {
            r.resume(seen);
            long max;
            try (Connection db = n1.jdbc(); Statement st = db.createStatement();
                 ResultSet rs = st.executeQuery("SELECT max(seq) FROM call_events")) {
                rs.next();
                max = rs.getLong(1);
            }
            r.awaitEvents((int) (max - seen), 5_000);
            Thread.sleep(200);
            List<Long> expected = new ArrayList<>();
            for (long q = seen + 1; q <= max; q++) {
                expected.add(q);
            }
            assertEquals(expected, r.seqs(), "a resume on the other node gets exactly the gap");
        }
    }

    @Test
    void aBulkAcknowledgementOnAFollowerAndAResolutionReachTheFollowersSockets() throws Exception {
        assertEquals(201, n1.postEvent(Events.initiated("b1", "bulk-1", "medical_spanish")).statusCode());
        assertEquals(201, n1.postEvent(Events.initiated("b2", "bulk-2", "medical_spanish")).statusCode());
        await(() -> n1.get("/api/alerts?open=true").body().contains("bulk-1:sla_breach")
            && n1.get("/api/alerts?open=true").body().contains("bulk-2:sla_breach"), 5_000, "two SLA breaches");
        try (SocketClient s = SocketClient.withAuth(n2, TestServer.SUPERVISOR_KEY)) {
            assertTrue(s.await("connect", 5_000));
            s.subscribe(null);
            HttpResponse<String> bulk = n2.post("/api/alerts/ack", TestServer.SUPERVISOR_KEY, "application/json",
                "{\"ids\":[\"bulk-1:sla_breach\"],\"note\":\"from the follower\"}");
            assertEquals(200, bulk.statusCode(), bulk.body());
            assertEquals(1, new JSONObject(bulk.body()).getInt("acknowledged"));
            assertEquals(201, n2.postEvent(Events.routed("b3", "bulk-2", "ana_garcia")).statusCode());
            assertEquals(201, n2.postEvent(Events.simple("b4", "call_answered", "bulk-2")).statusCode());
            await(() -> s.acks.size() == 1 && s.resolutions.size() == 1, 5_000,
                "the follower pushes the leader's acknowledgement and resolution");
            assertEquals("from the follower", s.acks.get(0).getString("note"));
            assertEquals("bulk-1:sla_breach", s.acks.get(0).getString("id"));
            JSONObject resolved = s.resolutions.get(0);
            assertEquals("bulk-2:sla_breach", resolved.getString("id"));
            assertEquals("answered", resolved.getString("resolution"));
            int at = s.arrivals.indexOf("alert_resolved:" + resolved.getLong("seq"));
            assertEquals("call_event:" + resolved.getLong("seq"), s.arrivals.get(at - 1), s.arrivals.toString());
        }
        await(() -> "call_answered".equals(Wire.read(n2.get("/api/calls/bulk-2").body()).path("last_event_type").asText()),
            5_000, "the follower's engine has the answer");
        String open = n2.get("/api/alerts?open=true").body();
        assertFalse(open.contains("bulk-1:sla_breach") || open.contains("bulk-2:sla_breach"), open);
    }

    @Test
    void theTrafficGeneratorStartedOnAFollowerRunsOnTheLeaderAndItsCallsEndWhenTheLeaderGoes() throws Exception {
        HttpResponse<String> started = n2.post("/api/traffic", TestServer.ADMIN_KEY, "application/json",
            "{\"calls_per_minute\":600,\"duration\":\"PT1H\"}");
        assertEquals(201, started.statusCode(), started.body());
        assertTrue(Wire.read(n1.get("/api/traffic").body()).path("running").asBoolean(), "it runs on the leader");
        BooleanSupplier liveOnFollower = () -> Wire.read(n2.get("/api/calls?status=waiting,active,on_hold&limit=200").body())
            .path("items").toString().contains("\"gen-");
        await(liveOnFollower, 10_000, "generated calls reach the follower");

        n1.stop();   // the leader drains: its run stops and ends its calls before it lets go of the lead
        await(() -> "leader".equals(cluster(n2).path("role").asText()), 5_000, "n2 leads");
        await(() -> !liveOnFollower.getAsBoolean(), 5_000, "no generated call is left live");
        JsonNode after = Wire.read(n2.get("/api/traffic").body());
        assertFalse(after.path("running").asBoolean(), "the new leader does not restart the run: " + after);
    }

    @Test
    void whenTheLeaderStopsTheFollowerLeadsAndADeadlineFiresOnceThere() throws Exception {
        assertEquals(201, n1.postEvent(Events.initiated("e1", "fo-1", "medical_spanish")).statusCode());
        n1.stop();   // the SLA deadline (1 s) falls while nobody leads, or on the new leader
        await(() -> "leader".equals(cluster(n2).path("role").asText()), 5_000, "n2 leads");
        await(() -> n2.get("/api/alerts?open=true").body().contains("fo-1"), 5_000, "the breach fires on the new leader");
        Thread.sleep(1_500);
        try (Connection db = n2.jdbc(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM alerts WHERE call_id = 'fo-1' AND kind = 'sla_breach'")) {
            rs.next();
            assertEquals(1, rs.getLong(1), "exactly one breach");
        }
        JsonNode c = cluster(n2);
        assertEquals("n2", c.path("leader").path("node_id").asText());
        assertTrue(c.path("epoch").asLong() >= 2);
        n1.startAgain();
        await(() -> "follower".equals(cluster(n1).path("role").asText()), 5_000, "the restarted node follows");
        assertEquals(201, n1.postEvent(Events.routed("e2", "fo-1", "agent-z")).statusCode());
    }

    @Test
    void aLeaderWhoseEpochWasTakenCommitsNothingAndStepsDown() throws Exception {
        assertEquals(201, n1.postEvent(Events.initiated("e1", "fe-1", "medical_spanish")).statusCode());
        long before;
        try (Connection db = n1.jdbc(); Statement st = db.createStatement()) {
            // what a new leader's takeover does while this one still believes it leads
            st.execute("UPDATE cluster_leader SET epoch = epoch + 1");
            try (ResultSet rs = st.executeQuery("SELECT max(seq) FROM call_events")) {
                rs.next();
                before = rs.getLong(1);
            }
        }
        HttpResponse<String> r = n1.postEvent(Events.routed("e2", "fe-1", "agent-q"));
        assertEquals(503, r.statusCode(), "a fenced commit is refused: " + r.body());
        try (Connection db = n1.jdbc(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(seq) FROM call_events")) {
            rs.next();
            assertEquals(before, rs.getLong(1), "nothing committed under the old epoch");
        }
        assertTrue(n1.get("/metrics", null).body().lines()
            .anyMatch(l -> l.startsWith("switchboard_cluster_fenced_commits_total") && !l.endsWith(" 0.0")));
        // someone leads again (either node), with a newer epoch, and the resend goes through
        await(() -> {
            HttpResponse<String> again = n2.postEvent(Events.routed("e2", "fe-1", "agent-q"));
            return again.statusCode() == 201 || again.statusCode() == 200;
        }, 10_000, "the cluster takes the event after the takeover");
        JsonNode c1 = cluster(n1);
        JsonNode c2 = cluster(n2);
        assertEquals(c1.path("epoch").asLong(), c2.path("epoch").asLong());
        assertEquals(c1.path("leader").path("node_id").asText(), c2.path("leader").path("node_id").asText());
    }

    @Test
    void aNodeWithOtherThresholdsRefusesToJoin() {
        Map<String, String> other = node("n3");
        other.put("SWITCHBOARD_SLA_MAX_WAIT", "PT45S");
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> TestServer.joining(n1, other));
        assertTrue(e.getMessage().contains("sla_max_wait") && e.getMessage().contains("PT1S") && e.getMessage().contains("PT45S"),
            e.getMessage());
    }
}
