package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.server.Events;
import dev.switchboard.server.TestServer;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys, roles, logs, CORS and size limits, route by route. The route table comes from
 * call-server's own {@code openapi.yaml}, so a route added there without a decision here fails
 * {@link #everyApiRouteRefusesAMissingOrWrongKeyWith401()}.
 */
class SecurityTest {

    /** Wrong keys: near misses of a real key, other lengths, other encodings. */
    private static final List<String> WRONG_KEYS = List.of("wrong-key-0123456789", TestServer.ADMIN_KEY + "x",
        TestServer.ADMIN_KEY.substring(0, TestServer.ADMIN_KEY.length() - 1),
        TestServer.ADMIN_KEY.toUpperCase(Locale.ROOT), "Bearer " + TestServer.ADMIN_KEY, "x".repeat(4096));

    /** Who may call a route (any other valid key gets 403). */
    private enum Access { INGEST, SUPERVISOR, ADMIN_ONLY, ANY_KEY }

    /** The decision for every /api route of openapi.yaml; a route missing here fails the test. */
    private static final Map<String, Access> ROLES = Map.ofEntries(
        Map.entry("POST /api/events", Access.INGEST),
        Map.entry("GET /api/calls", Access.SUPERVISOR),
        Map.entry("GET /api/calls/{id}", Access.SUPERVISOR),
        Map.entry("GET /api/calls/{id}/events", Access.SUPERVISOR),
        Map.entry("GET /api/queues", Access.SUPERVISOR),
        Map.entry("GET /api/agents", Access.SUPERVISOR),
        Map.entry("POST /api/agents/{id}/available", Access.SUPERVISOR),
        Map.entry("POST /api/agents/{id}/presence", Access.ANY_KEY),
        Map.entry("GET /api/center", Access.SUPERVISOR),
        Map.entry("PUT /api/queues/{id}", Access.ADMIN_ONLY),
        Map.entry("DELETE /api/queues/{id}", Access.ADMIN_ONLY),
        Map.entry("GET /api/reports/intervals", Access.SUPERVISOR),
        Map.entry("GET /api/reports/agents", Access.SUPERVISOR),
        Map.entry("GET /api/alerts", Access.SUPERVISOR),
        Map.entry("POST /api/alerts/{id}/ack", Access.SUPERVISOR),
        Map.entry("POST /api/alerts/ack", Access.SUPERVISOR),
        Map.entry("GET /api/info", Access.ANY_KEY),
        Map.entry("GET /api/cluster", Access.SUPERVISOR),
        Map.entry("GET /api/traffic", Access.SUPERVISOR),
        Map.entry("POST /api/traffic", Access.ADMIN_ONLY),
        Map.entry("DELETE /api/traffic", Access.ADMIN_ONLY),
        Map.entry("GET /api/webhooks", Access.ADMIN_ONLY),
        Map.entry("POST /api/webhooks", Access.ADMIN_ONLY),
        Map.entry("DELETE /api/webhooks/{id}", Access.ADMIN_ONLY),
        Map.entry("GET /api/deliveries", Access.ADMIN_ONLY),
        Map.entry("POST /api/deliveries/{id}/replay", Access.ADMIN_ONLY),
        // POST /api/session (signing in) is documented as open; with a key these answer 404 (no user session)
        Map.entry("GET /api/session", Access.ANY_KEY),
        Map.entry("DELETE /api/session", Access.ANY_KEY),
        Map.entry("GET /api/users", Access.ADMIN_ONLY),
        Map.entry("POST /api/users", Access.ADMIN_ONLY),
        Map.entry("GET /api/users/signins", Access.ADMIN_ONLY),
        Map.entry("POST /api/users/{id}/disable", Access.ADMIN_ONLY),
        Map.entry("POST /api/users/{id}/enable", Access.ADMIN_ONLY),
        Map.entry("POST /api/users/{id}/password", Access.ADMIN_ONLY));

    private record Route(String method, String path) {
        String key() {
            return method + " " + path;
        }
    }

    /** Every operation under /api in openapi.yaml that needs a key. */
    private static List<Route> routes() throws Exception {
        JsonNode doc;
        try (InputStream in = TestServer.class.getResourceAsStream("/openapi.yaml")) {
            doc = new YAMLMapper().readTree(in);
        }
        List<Route> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            if (!p.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode security = op.getValue().get("security");
                if (security != null && security.isArray() && security.isEmpty()) {
                    continue;   // documented as open (the OpenAPI document itself)
                }
                out.add(new Route(op.getKey().toUpperCase(Locale.ROOT), p.getKey()));
            }
        }
        return out;
    }

    private static Exchange.Request request(Route r, String key) {
        String path = r.path().replace("{id}", r.path().startsWith("/api/deliveries") ? "1" : "no-such-id");
        byte[] body = switch (r.key()) {
            case "POST /api/events" -> Events.initiated("sec-e", "sec-" + Math.abs(String.valueOf(key).hashCode()), "medical_spanish")
                .getBytes(StandardCharsets.UTF_8);
            case "POST /api/webhooks" -> "{\"url\":\"http://127.0.0.1:9/hooks\"}".getBytes(StandardCharsets.UTF_8);
            case "POST /api/traffic" -> "{\"calls_per_minute\":1,\"duration\":\"PT1S\"}".getBytes(StandardCharsets.UTF_8);
            case "POST /api/agents/{id}/presence" -> "{\"state\":\"available\"}".getBytes(StandardCharsets.UTF_8);
            case "PUT /api/queues/{id}" -> "{\"agents\":[\"sec_agent\"]}".getBytes(StandardCharsets.UTF_8);
            default -> r.method().equals("POST") ? new byte[0] : null;
        };
        List<String[]> headers = new ArrayList<>(Exchange.headers("Content-Type", "application/json"));
        if (key != null) {
            headers.add(new String[] {"X-API-Key", key});
        }
        return Exchange.Request.of(r.method(), path, headers, body);
    }

    private static int port(TestServer s) {
        return Integer.parseInt(s.baseUrl().substring(s.baseUrl().lastIndexOf(':') + 1));
    }

    @Test
    void everyApiRouteRefusesAMissingOrWrongKeyWith401() throws Exception {
        List<Route> routes = routes();
        Set<String> documented = new TreeSet<>();
        routes.forEach(r -> documented.add(r.key()));
        assertEquals(new TreeSet<>(ROLES.keySet()), documented, "openapi.yaml and this test's role table disagree");
        int tried = 0;
        try (TestServer s = TestServer.start(TestServer.Backend.H2)) {
            for (Route r : routes) {
                List<String> keys = new ArrayList<>();
                keys.add(null);
                keys.addAll(WRONG_KEYS);
                for (String key : keys) {
                    Exchange.Response res = Exchange.send(port(s), request(r, key));
                    tried++;
                    assertEquals(401, res.status(), r.key() + " with key " + key + ": " + res.body());
                    assertEquals("application/problem+json", res.contentType(), r.key());
                    assertEquals(401, HostileRequestsTests.json(res.body()).path("status").asInt());
                }
            }
            assertEquals(404, s.get("/api/calls/sec-" + Math.abs("null".hashCode())).statusCode(), "nothing stored");
        }
        Figures.record("security", routes.size() + " /api routes from openapi.yaml x " + (WRONG_KEYS.size() + 1)
            + " missing/wrong keys: " + tried + " requests, all 401 problem+json");
    }

    @Test
    void rolesAreEnforcedOnEveryRoute() throws Exception {
        int checked = 0;
        try (TestServer s = TestServer.start(TestServer.Backend.H2)) {
            for (Route r : routes()) {
                Access access = ROLES.get(r.key());
                for (String key : List.of(TestServer.INGEST_KEY, TestServer.SUPERVISOR_KEY, TestServer.ADMIN_KEY)) {
                    boolean allowed = switch (access) {
                        case ANY_KEY -> true;
                        case INGEST -> !key.equals(TestServer.SUPERVISOR_KEY);
                        case SUPERVISOR -> !key.equals(TestServer.INGEST_KEY);
                        case ADMIN_ONLY -> key.equals(TestServer.ADMIN_KEY);
                    };
                    Exchange.Response res = Exchange.send(port(s), request(r, key));
                    checked++;
                    if (allowed) {
                        assertTrue(res.status() != 401 && res.status() != 403 && res.status() < 500,
                            r.key() + " with " + key + " -> " + res.status() + " " + res.body());
                    } else {
                        assertEquals(403, res.status(), r.key() + " with " + key + ": " + res.body());
                        assertEquals("application/problem+json", res.contentType());
                    }
                }
            }
            // a refused write left nothing behind
            assertEquals(404, s.get("/api/calls/sec-" + Math.abs(TestServer.SUPERVISOR_KEY.hashCode())).statusCode(),
                "the supervisor's event was not stored");
            assertEquals(200, s.get("/api/calls/sec-" + Math.abs(TestServer.INGEST_KEY.hashCode())).statusCode(),
                "the ingest key's event was");
            JsonNode hooks = HostileRequestsTests.json(s.get("/api/webhooks", TestServer.ADMIN_KEY).body());
            assertEquals(1, hooks.size(), "only the admin's subscription exists: " + hooks);
        }
        Figures.record("security", "role matrix: " + checked + " route x key checks (ingest cannot read, supervisor cannot"
            + " ingest, only admin reaches /api/webhooks and /api/deliveries)");
    }

    /** Captures every log record the server writes while it serves requests carrying keys. */
    private static final class Capture extends Handler {
        final List<String> lines = new CopyOnWriteArrayList<>();
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            lines.add(format.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void keysAreNeverLogged() throws Exception {
        String wrongKey = "wrong-but-secret-key-4711-0815";
        Logger root = Logger.getLogger("");
        Capture capture = new Capture();
        capture.setLevel(Level.ALL);
        // the production levels (logging.properties): INFO, with the access log on; our own code at FINEST
        List<Logger> tuned = List.of(Logger.getLogger("switchboard.access"), Logger.getLogger("dev.switchboard"));
        capture.lines.clear();
        try (TestServer s = TestServer.start(TestServer.Backend.H2)) {
            // after the start: Helidon reads logging.properties (resetting handlers) when the server starts
            Level rootLevel = root.getLevel();
            Level[] before = tuned.stream().map(Logger::getLevel).toArray(Level[]::new);
            root.addHandler(capture);
            root.setLevel(Level.INFO);
            tuned.get(0).setLevel(Level.INFO);
            tuned.get(1).setLevel(Level.FINEST);
            try {
                for (String key : List.of(TestServer.ADMIN_KEY, TestServer.INGEST_KEY, TestServer.SUPERVISOR_KEY, wrongKey)) {
                    s.postEvent(Events.initiated("log-" + key.length(), "log-" + Math.abs(key.hashCode()), "medical_spanish"));
                    s.post("/api/events", key, "application/json", Events.initiated("l1", "log-call", "medical_spanish"));
                    s.post("/api/events", key, "application/json", "{broken");
                    s.post("/api/events", key, ";;;", "{}");   // an error path with a stack trace
                    s.get("/api/calls?api_key=" + key, key);
                    s.get("/api/calls/" + key, key);   // a key in the path is user data; only its log line is checked below
                    s.get("/api/webhooks", key);
                    s.post("/api/webhooks", key, "application/json", "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"" + key + "\"}");
                    try (var byAuth = dev.switchboard.server.SocketClient.withAuth(s, key);
                         var byQuery = dev.switchboard.server.SocketClient.withQueryToken(s, key)) {
                        byAuth.await("connect", 2_000);
                        byQuery.await("connect", 2_000);
                    }
                }
                Thread.sleep(300);
            } finally {
                root.removeHandler(capture);
                root.setLevel(rootLevel);
                for (int i = 0; i < tuned.size(); i++) {
                    tuned.get(i).setLevel(before[i]);
                }
            }
        }
        long accessLines = capture.lines.stream().filter(l -> l.contains("/api/")).count();
        assertTrue(accessLines >= 28, "the capture saw the server's access log: " + capture.lines);
        int leaks = 0;
        for (String line : capture.lines) {
            for (String key : List.of(TestServer.ADMIN_KEY, TestServer.INGEST_KEY, TestServer.SUPERVISOR_KEY, wrongKey)) {
                // GET /api/calls/<key> puts the key in the path, which the access log shows by design: not a leak of the header
                if (line.contains(key) && !line.contains("/api/calls/" + key)) {
                    leaks++;
                    System.out.println("LEAK " + line);
                }
            }
        }
        Figures.record("security", capture.lines.size() + " log records captured during 4 keys x 10 requests and"
            + " 8 Socket.io handshakes: " + leaks + " contain a key");
        assertEquals(0, leaks, "a key appeared in the log");
    }

    @Test
    void socketIoRefusesForeignOriginsAndAcceptsConfiguredOnes() throws Exception {
        for (String configured : List.of("http://dashboard.example", "http://a.example,http://b.example")) {
            try (TestServer s = TestServer.start(TestServer.Backend.H2, Map.of("SWITCHBOARD_CORS_ORIGINS", configured))) {
                for (String allowed : configured.split(",")) {
                    assertTrue(connects(s, allowed), allowed + " is configured (" + configured + ")");
                }
                for (String foreign : List.of("http://evil.example", "null", "http://dashboard.example.evil.example",
                    "https://dashboard.example", "http://DASHBOARD.example")) {
                    assertFalse(connects(s, foreign), foreign + " is not configured (" + configured + ")");
                }
                // the HTTP long-polling handshake never echoes a foreign origin either
                Exchange.Response poll = Exchange.send(Integer.parseInt(s.socketUrl().substring(s.socketUrl().lastIndexOf(':') + 1)),
                    Exchange.Request.raw(("GET /socket.io/?EIO=4&transport=polling&token=" + TestServer.SUPERVISOR_KEY
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.example\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                assertFalse(poll.status() == 200 && poll.body().contains("\"sid\""), "foreign origin got a session: " + poll.body());
                // REST sends no CORS grant to a foreign page
                String acao = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        URI.create(s.baseUrl() + "/api/calls")).header("X-API-Key", TestServer.SUPERVISOR_KEY)
                        .header("Origin", "http://evil.example").build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("Access-Control-Allow-Origin").orElse("");
                assertFalse(acao.equals("*") || acao.contains("evil"), "REST granted " + acao);
            }
        }
        Figures.record("security", "CORS: configured origins connect; 5 foreign origins refused (one and two configured"
            + " origins); polling handshake and REST grant nothing to a foreign origin");
    }

    private static boolean connects(TestServer s, String origin) throws InterruptedException {
        IO.Options o = new IO.Options();
        o.forceNew = true;
        o.reconnection = false;
        o.transports = new String[] {"websocket"};
        o.auth = Map.of("token", TestServer.SUPERVISOR_KEY);
        o.extraHeaders = Map.of("Origin", List.of(origin));
        Socket socket = IO.socket(URI.create(s.socketUrl()), o);
        CountDownLatch done = new CountDownLatch(1);
        boolean[] ok = {false};
        socket.on(Socket.EVENT_CONNECT, a -> {
            ok[0] = true;
            done.countDown();
        });
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> done.countDown());
        socket.connect();
        try {
            done.await(5, TimeUnit.SECONDS);
            return ok[0];
        } finally {
            socket.close();
        }
    }

    @Test
    void bodiesOverTheConfiguredLimitAre413() throws Exception {
        int limit = 4096;
        try (TestServer s = TestServer.start(TestServer.Backend.H2, Map.of("SWITCHBOARD_MAX_BODY_BYTES", String.valueOf(limit)))) {
            byte[] event = Events.initiated(null, "size-ok", "medical_spanish").replace("\"event_id\":\"null\",", "")
                .getBytes(StandardCharsets.UTF_8);
            byte[] exactly = Arrays.copyOf(event, limit);
            Arrays.fill(exactly, event.length, limit, (byte) ' ');
            List<String[]> h = Exchange.headers("X-API-Key", TestServer.INGEST_KEY, "Content-Type", "application/json");
            assertEquals(201, Exchange.send(port(s), Exchange.Request.of("POST", "/api/events", h, exactly)).status());
            byte[] over = Arrays.copyOf(exactly, limit + 1);
            over[limit] = ' ';
            for (Exchange.Request r : List.of(Exchange.Request.of("POST", "/api/events", h, over),
                Exchange.Request.of("POST", "/api/events", h, over).chunked(),
                Exchange.Request.of("POST", "/api/events", h, new byte[10 * 1024 * 1024]))) {
                Exchange.Response res = Exchange.send(port(s), r);
                assertEquals(413, res.status(), r.describe() + ": " + res.body());
                assertEquals("application/problem+json", res.contentType());
            }
            assertEquals(200, s.get("/observe/health/ready", null).statusCode());
        }
        Figures.record("security", "size limit " + limit + " B: exactly the limit accepted; limit+1 (Content-Length and"
            + " chunked) and 10 MB refused 413");
    }
}
