package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Named supervisors over the real routes and database: accounts managed by admins, sign-in with a
 * username and password, the session's token accepted as Bearer, as cookie and on Socket.io, the
 * log naming the user, the throttle, the audit, and sessions that outlive a restart.
 */
abstract class UsersTests {

    abstract TestServer.Backend backend();

    static final String ADMIN = TestServer.ADMIN_KEY;
    static final String PASSWORD = "correct horse battery";

    private final List<TestServer> servers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestServer start(Map<String, String> settings) {
        TestServer s = TestServer.start(backend(), settings);
        servers.add(s);
        return s;
    }

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private static HttpResponse<String> createUser(TestServer s, String username, String password, String role) {
        return s.post("/api/users", ADMIN, "application/json",
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"role\":\"" + role + "\"}");
    }

    private static HttpResponse<String> signIn(TestServer s, String username, String password) {
        return s.post("/api/session", null, "application/json",
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
    }

    private static String token(TestServer s, String username, String password) {
        HttpResponse<String> r = signIn(s, username, password);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).path("token").asText();
    }

    /** A request with headers of one's own (Authorization, Cookie) and no API key. */
    private HttpResponse<String> send(TestServer s, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> bearer(TestServer s, String method, String path, String body, String token) {
        return send(s, method, path, body, "Authorization", "Bearer " + token);
    }

    private static List<JsonNode> log(TestServer s, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = s.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT metadata FROM call_events WHERE type = '" + type + "' ORDER BY seq")) {
            while (rs.next()) {
                out.add(dev.switchboard.server.wire.Wire.read(rs.getString(1)));
            }
        }
        return out;
    }

    @Test
    void adminsCreateAccountsWithClearRefusalsAndListThemWithoutHashes() {
        TestServer s = start(Map.of());
        HttpResponse<String> created = createUser(s, "Alice.M", PASSWORD, "supervisor");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode alice = json(created);
        assertEquals("alice.m", alice.path("username").asText(), "usernames are kept lowercase");
        assertEquals("supervisor", alice.path("role").asText());
        assertFalse(alice.path("disabled").asBoolean());
        assertTrue(alice.path("created_by").asText().startsWith("key:"), "created by the admin key: " + alice);
        assertEquals("/api/users/alice.m", created.headers().firstValue("Location").orElse(null));

        HttpResponse<String> dup = createUser(s, "alice.m", PASSWORD, "admin");
        assertEquals(409, dup.statusCode(), dup.body());

        HttpResponse<String> bad = createUser(s, "bad name!", "short", "ingest");
        assertEquals(400, bad.statusCode(), bad.body());
        List<String> fields = new ArrayList<>();
        json(bad).path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(List.of("username", "password", "role"), fields, bad.body());
        assertTrue(bad.body().contains("at least 12 characters"), bad.body());
        assertTrue(bad.body().contains("ingest is for API keys only"), bad.body());
        HttpResponse<String> unknownRole = createUser(s, "bob", PASSWORD, "root");
        assertEquals(400, unknownRole.statusCode());
        assertTrue(unknownRole.body().contains("must be supervisor or admin"), unknownRole.body());
        HttpResponse<String> tooLong = createUser(s, "bob", "x".repeat(73), "supervisor");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("at most 72 bytes"), tooLong.body());
        HttpResponse<String> extra = s.post("/api/users", ADMIN, "application/json",
            "{\"username\":\"bob\",\"password\":\"" + PASSWORD + "\",\"role\":\"admin\",\"hash\":\"x\"}");
        assertEquals(400, extra.statusCode());
        assertTrue(extra.body().contains("unknown field"), extra.body());
        HttpResponse<String> missing = s.post("/api/users", ADMIN, "application/json", "{\"username\":\"bob\"}");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("\"password\"") && missing.body().contains("\"role\""), missing.body());

        assertEquals(201, createUser(s, "carol", PASSWORD, "supervisor").statusCode());
        assertEquals(403, s.post("/api/users", TestServer.SUPERVISOR_KEY, "application/json",
            "{\"username\":\"dave\",\"password\":\"" + PASSWORD + "\",\"role\":\"admin\"}").statusCode());
        assertEquals(403, s.get("/api/users", TestServer.SUPERVISOR_KEY).statusCode());
        assertEquals(401, s.get("/api/users", null).statusCode());

        HttpResponse<String> list = s.get("/api/users", ADMIN);
        assertEquals(200, list.statusCode());
        List<String> names = new ArrayList<>();
        json(list).forEach(u -> names.add(u.path("username").asText()));
        assertEquals(List.of("alice.m", "carol"), names);
        assertFalse(list.body().contains("$2a$") || list.body().contains("hash") || list.body().contains(PASSWORD),
            "no hash, no password: " + list.body());
    }

    @Test
    void aSignedInUserActsWithBearerOrCookieAndTheLogNamesThem() throws Exception {
        TestServer s = start(Map.of());
        assertEquals(201, createUser(s, "alice", PASSWORD, "supervisor").statusCode());
        assertEquals(201, createUser(s, "root.admin", PASSWORD, "admin").statusCode());

        HttpResponse<String> signedIn = signIn(s, "Alice", PASSWORD);
        assertEquals(200, signedIn.statusCode(), signedIn.body());
        JsonNode session = json(signedIn);
        String token = session.path("token").asText();
        assertTrue(token.startsWith("sbs_") && token.length() >= 4 + 43, "32 random bytes, base64url: " + token);
        assertEquals("alice", session.path("user").path("username").asText());
        assertEquals("supervisor", session.path("user").path("role").asText());
        Instant expires = Instant.parse(session.path("expires_at").asText());
        assertTrue(Duration.between(Instant.now(), expires).toMinutes() > 11 * 60, "12 h by default: " + expires);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith("sb_session=" + token + ";"), cookie);
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/api"), cookie);

        // the database keeps a hash of the token, never the token
        try (Connection c = s.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT token_hash FROM user_sessions")) {
            assertTrue(rs.next());
            assertNotEquals(token, rs.getString(1));
            assertEquals(64, rs.getString(1).length());
        }
        try (Connection c = s.jdbc(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT password_hash FROM users WHERE username = 'alice'")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("$2a$12$"), "bcrypt, cost 12: " + rs.getString(1).substring(0, 7));
        }

        HttpResponse<String> me = bearer(s, "GET", "/api/session", null, token);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("alice", json(me).path("user").path("username").asText());
        HttpResponse<String> byCookie = send(s, "GET", "/api/session", null, "Cookie", "other=1; sb_session=" + token);
        assertEquals(200, byCookie.statusCode(), byCookie.body());
        assertEquals("alice", json(byCookie).path("user").path("username").asText());
        assertEquals(200, bearer(s, "GET", "/api/queues", null, token).statusCode());
        assertEquals("supervisor", json(bearer(s, "GET", "/api/info", null, token)).path("role").asText());
        HttpResponse<String> forbidden = bearer(s, "GET", "/api/users", null, token);
        assertEquals(403, forbidden.statusCode(), "a supervisor user is no admin");
        assertTrue(forbidden.body().contains("this user's role (supervisor)"), forbidden.body());
        assertEquals(401, bearer(s, "GET", "/api/queues", null, "sbs_" + "A".repeat(43)).statusCode());
        assertEquals(404, s.get("/api/session", TestServer.SUPERVISOR_KEY).statusCode(), "a key is no user session");

        // an alert acknowledged by alice names alice; a queue changed by the admin user names the admin
        String id = "named-" + backend();
        assertEquals(201, s.postEvent(Events.initiated("n1", id, "medical_english")).statusCode());
        assertEquals(201, s.postEvent(Events.routed("n2", id, "emma_smith")).statusCode());
        assertEquals(201, s.postEvent(Events.simple("n3", "call_answered", id)).statusCode());
        HttpResponse<String> ended = s.postEvent("{\"event_id\":\"n4\",\"type\":\"call_ended\",\"call_id\":\"" + id
            + "\",\"data\":{\"end_reason\":\"completed\",\"duration\":4}}");
        String alertId = json(ended).path("alerts").get(0).path("id").asText();
        try (SocketClient watcher = SocketClient.withAuth(s, token)) {
            assertTrue(watcher.await("connect", 5_000), "a session token signs in on Socket.io: " + watcher.errors);
            watcher.subscribe(null);
            HttpResponse<String> ack = bearer(s, "POST", "/api/alerts/" + alertId + "/ack", null, token);
            assertEquals(200, ack.statusCode(), ack.body());
            assertEquals("alice", json(ack).path("acked_by").asText());
            long end = System.currentTimeMillis() + 5_000;
            while (watcher.acks.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertFalse(watcher.acks.isEmpty(), "the ack is pushed");
            assertTrue(watcher.acks.get(0).toString().contains("alice"), watcher.acks.get(0).toString());
        }
        for (JsonNode a : json(s.get("/api/alerts?limit=10"))) {
            if (a.path("id").asText().equals(alertId)) {
                assertEquals("alice", a.path("acked_by").asText());
            }
        }
        JsonNode ackEntry = log(s, "alert_acked").get(0);
        assertEquals("alice", ackEntry.path("by").asText());
        assertEquals("supervisor", ackEntry.path("role").asText());

        HttpResponse<String> presence = send(s, "POST", "/api/agents/emma_smith/presence",
            "{\"state\":\"not_ready\",\"reason\":\"training\"}", "Cookie", "sb_session=" + token);
        assertEquals(200, presence.statusCode(), presence.body());
        JsonNode presenceEntry = log(s, "agent_presence").get(0);
        assertEquals("alice", presenceEntry.path("by").asText());
        assertEquals("supervisor", presenceEntry.path("source").asText());

        String adminToken = token(s, "root.admin", PASSWORD);
        HttpResponse<String> queue = bearer(s, "PUT", "/api/queues/night_desk",
            "{\"name\":\"Night desk\",\"agents\":[\"emma_smith\"]}", adminToken);
        assertEquals(201, queue.statusCode(), queue.body());
        JsonNode queueEntry = log(s, "queue_changed").get(0);
        assertEquals("root.admin", queueEntry.path("by").asText());
        assertEquals("admin", queueEntry.path("role").asText());
        // the key's actions still name the key's fingerprint
        assertEquals(200, s.post("/api/agents/emma_smith/presence", TestServer.SUPERVISOR_KEY, "application/json",
            "{\"state\":\"available\"}").statusCode());
        assertTrue(log(s, "agent_presence").get(1).path("by").asText().startsWith("key:"));

        // signing out ends the session (and clears the cookie); the socket refuses the token then
        HttpResponse<String> out = bearer(s, "DELETE", "/api/session", null, token);
        assertEquals(204, out.statusCode(), out.body());
        assertTrue(out.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=0"));
        assertEquals(401, bearer(s, "GET", "/api/session", null, token).statusCode());
        assertEquals(401, send(s, "GET", "/api/queues", null, "Cookie", "sb_session=" + token).statusCode());
        try (SocketClient ended2 = SocketClient.withAuth(s, token)) {
            assertTrue(ended2.await("connect_error", 5_000), "an ended session is refused on Socket.io");
        }
        assertEquals(200, bearer(s, "GET", "/api/queues", null, adminToken).statusCode(), "other sessions stay");
    }

    @Test
    void anOpenSocketClosesWhenItsSessionEndsWhileOtherSocketsStay() throws Exception {
        TestServer s = start(Map.of());
        assertEquals(201, createUser(s, "cleo", PASSWORD, "supervisor").statusCode());
        assertEquals(201, createUser(s, "dina", PASSWORD, "supervisor").statusCode());
        String cleo = token(s, "cleo", PASSWORD);
        String dina = token(s, "dina", PASSWORD);
        try (SocketClient cleoSocket = SocketClient.withAuth(s, cleo);
             SocketClient dinaSocket = SocketClient.withAuth(s, dina);
             SocketClient keySocket = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
            for (SocketClient c : List.of(cleoSocket, dinaSocket, keySocket)) {
                assertTrue(c.await("connect", 5_000), "connected: " + c.errors);
                c.subscribe(null);
            }
            // signing out on this node closes that session's socket at once
            assertEquals(204, bearer(s, "DELETE", "/api/session", null, cleo).statusCode());
            assertTrue(cleoSocket.await("disconnect", 2_000), "the signed-out socket closes");
            assertTrue(cleoSocket.errors.toString().contains("session has ended"), cleoSocket.errors.toString());

            // an admin disabling an account (as another node's sign-out would) closes it within the recheck
            assertEquals(200, s.post("/api/users/dina/disable", ADMIN, null, "").statusCode());
            assertTrue(dinaSocket.await("disconnect", dev.switchboard.server.realtime.SocketHub.SESSION_RECHECK_MS + 3_000),
                "the disabled account's socket closes");

            // a key's socket is not a session: it stays, and still receives what happens
            assertEquals(201, s.postEvent(Events.initiated("so-1", "socket-stays", "medical_spanish")).statusCode());
            keySocket.awaitEvents(1, 5_000);
            assertFalse(keySocket.signals.contains("disconnect"));
        }
    }

    @Test
    void wrongPasswordsDisabledAccountsAndResetsAreRefusedAndAudited() {
        TestServer s = start(Map.of());
        assertEquals(201, createUser(s, "bea", PASSWORD, "supervisor").statusCode());
        HttpResponse<String> wrong = signIn(s, "bea", "not the password");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("wrong username or password"), wrong.body());
        HttpResponse<String> unknown = signIn(s, "nobody", PASSWORD);
        assertEquals(401, unknown.statusCode());
        assertEquals(json(wrong).path("detail"), json(unknown).path("detail"), "an unknown name reads like a wrong password");
        assertEquals(400, s.post("/api/session", null, "application/json", "{\"username\":\"bea\"}").statusCode());
        assertEquals(415, s.post("/api/session", null, "text/plain", "bea").statusCode());

        String token = token(s, "bea", PASSWORD);
        assertEquals(403, s.post("/api/users/bea/disable", TestServer.SUPERVISOR_KEY, null, "").statusCode());
        HttpResponse<String> disabled = s.post("/api/users/bea/disable", ADMIN, null, "");
        assertEquals(200, disabled.statusCode(), disabled.body());
        assertTrue(json(disabled).path("disabled").asBoolean());
        assertEquals(401, bearer(s, "GET", "/api/queues", null, token).statusCode(), "disabling ends the sessions");
        HttpResponse<String> refused = signIn(s, "bea", PASSWORD);
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("disabled"), refused.body());
        assertEquals(404, s.post("/api/users/ghost/disable", ADMIN, null, "").statusCode());

        assertEquals(200, s.post("/api/users/bea/enable", ADMIN, null, "").statusCode());
        token = token(s, "bea", PASSWORD);
        HttpResponse<String> weak = s.post("/api/users/bea/password", ADMIN, "application/json", "{\"password\":\"short\"}");
        assertEquals(400, weak.statusCode());
        HttpResponse<String> reset = s.post("/api/users/bea/password", ADMIN, "application/json",
            "{\"password\":\"a brand new passphrase\"}");
        assertEquals(200, reset.statusCode(), reset.body());
        assertEquals(401, bearer(s, "GET", "/api/queues", null, token).statusCode(), "a reset ends the sessions");
        assertEquals(401, signIn(s, "bea", PASSWORD).statusCode());
        token(s, "bea", "a brand new passphrase");

        HttpResponse<String> audit = s.get("/api/users/signins?username=bea", ADMIN);
        assertEquals(200, audit.statusCode(), audit.body());
        List<String> outcomes = new ArrayList<>();
        for (JsonNode a : json(audit)) {
            outcomes.add(a.path("success").asBoolean() ? "ok" : a.path("reason").asText());
            assertEquals("127.0.0.1", a.path("remote").asText());
            assertFalse(a.path("at").asText().isEmpty());
        }
        assertEquals(List.of("ok", "wrong_password", "ok", "disabled", "ok", "wrong_password"), outcomes, audit.body());
        JsonNode all = json(s.get("/api/users/signins?limit=50", ADMIN));
        boolean sawUnknown = false;
        for (JsonNode a : all) {
            sawUnknown |= a.path("username").asText().equals("nobody") && a.path("reason").asText().equals("unknown_user");
        }
        assertTrue(sawUnknown, all.toString());
        assertEquals(403, s.get("/api/users/signins", TestServer.SUPERVISOR_KEY).statusCode());
    }

    @Test
    void failedSignInsAreThrottledPerUsernameAndPerAddress() {
        TestServer s = start(Map.of());
        assertEquals(201, createUser(s, "cleo", PASSWORD, "supervisor").statusCode());
        assertEquals(201, createUser(s, "dora", PASSWORD, "supervisor").statusCode());
        for (int i = 0; i < 5; i++) {
            assertEquals(401, signIn(s, "cleo", "guess number " + i).statusCode());
        }
        HttpResponse<String> throttled = signIn(s, "cleo", PASSWORD);
        assertEquals(429, throttled.statusCode(), "even the right password waits: " + throttled.body());
        long retry = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retry > 14 * 60 && retry <= 15 * 60, "until the oldest failure leaves the 15 min window: " + retry);
        token(s, "dora", PASSWORD);   // another username from the same address is not throttled yet

        // the throttle is counted in the audit: failures older than the window no longer count
        try (Connection c = s.jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE signins SET at = at - INTERVAL '16' MINUTE WHERE username = 'cleo'");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        token(s, "cleo", PASSWORD);

        // from one address: 20 failures across any usernames
        for (int i = 0; i < 20; i++) {
            assertEquals(401, signIn(s, "sprayed" + i, "guess number " + i).statusCode());
        }
        HttpResponse<String> address = signIn(s, "dora", PASSWORD);
        assertEquals(429, address.statusCode(), address.body());
        assertTrue(address.headers().firstValue("Retry-After").isPresent());
        long kept = json(s.get("/api/users/signins?limit=1000", ADMIN)).size();
        assertEquals(5 + 1 + 1 + 20, kept, "throttled attempts are refused before the check and not kept");
    }

    @Test
    void aSessionOutlivesARestartAndTheFirstAdminIsSeededOnce() {
        TestServer s = start(Map.of("SWITCHBOARD_ADMIN_USER", "Chief", "SWITCHBOARD_ADMIN_PASSWORD", PASSWORD,
            "SWITCHBOARD_SESSION_TTL", "PT2H"));
        HttpResponse<String> first = signIn(s, "chief", PASSWORD);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("admin", json(first).path("user").path("role").asText());
        Instant expires = Instant.parse(json(first).path("expires_at").asText());
        assertTrue(Duration.between(Instant.now(), expires).toMinutes() <= 120, "SWITCHBOARD_SESSION_TTL: " + expires);
        assertTrue(first.headers().firstValue("Set-Cookie").orElseThrow().contains("Max-Age=7200"));
        String token = json(first).path("token").asText();
        HttpResponse<String> made = bearer(s, "POST", "/api/users",
            "{\"username\":\"eve\",\"password\":\"" + PASSWORD + "\",\"role\":\"supervisor\"}", token);
        assertEquals(201, made.statusCode(), made.body());
        assertEquals("chief", json(made).path("created_by").asText());
        HttpResponse<String> self = bearer(s, "POST", "/api/users/chief/disable", null, token);
        assertEquals(409, self.statusCode(), "an admin cannot lock themselves out: " + self.body());

        s.stop();
        s.startAgain();
        HttpResponse<String> me = bearer(s, "GET", "/api/session", null, token);
        assertEquals(200, me.statusCode(), "the session survives the restart: " + me.body());
        assertEquals("chief", json(me).path("user").path("username").asText());

        // the seed only fills an empty table: the admin's password changed since stays
        assertEquals(200, s.post("/api/users/chief/password", ADMIN, "application/json",
            "{\"password\":\"changed after the seed\"}").statusCode());
        s.stop();
        s.startAgain();
        assertEquals(401, signIn(s, "chief", PASSWORD).statusCode());
        token(s, "chief", "changed after the seed");
        assertEquals(2, json(s.get("/api/users", ADMIN)).size());
    }
}
