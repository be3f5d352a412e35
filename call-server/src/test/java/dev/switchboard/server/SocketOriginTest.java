package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.realtime.OriginPolicy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard opened by a host name (not localhost) may open Socket.io by default; a configured
 * {@code SWITCHBOARD_CORS_ORIGINS} is the exact list; a refusal is logged naming the setting, and
 * {@code GET /api/info} tells the page beforehand.
 */
class SocketOriginTest {

    private static final String NAME = "switchboard-1.test";

    record Response(int status, Map<String, String> headers, String body) {
    }

    /** One HTTP/1.1 exchange with the Host and Origin headers as given (java.net.http will not send a Host of ours). */
    static Response exchange(int port, String target, String host, String origin, String key) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
            if (origin != null) {
                req.append("Origin: ").append(origin).append("\r\n");
            }
            if (key != null) {
                req.append("X-API-Key: ").append(key).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static String line(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static int port(String url) {
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** The Engine.IO v4 polling handshake a browser page makes, from {@code origin} to {@code host}. */
    private static Response handshake(TestServer s, String origin, String host) throws Exception {
        return exchange(port(s.socketUrl()), "/socket.io/?EIO=4&transport=polling&token=" + TestServer.SUPERVISOR_KEY,
            host, origin, null);
    }

    private static boolean opened(Response r) {
        return r.status() == 200 && r.body().contains("\"sid\"");
    }

    @Test
    void byDefaultTheDashboardsOwnOriginIsAcceptedWhateverNameItWasOpenedBy() throws Exception {
        List<LogRecord> logged;
        try (TestServer s = TestServer.start(TestServer.Backend.H2)) {
            logged = capture();   // after the start: Helidon reads logging.properties (resetting handlers) then
            int http = port(s.baseUrl());
            String socketHost = NAME + ":" + port(s.socketUrl());
            for (String page : List.of("http://" + NAME + ":" + http, "https://" + NAME + ":" + http)) {
                Response r = handshake(s, page, socketHost);
                assertTrue(opened(r), page + ": " + r);
                assertEquals(page, r.headers().get("access-control-allow-origin"), "CORS grant for the accepted page itself");
            }
            assertTrue(opened(handshake(s, "http://127.0.0.1:" + http, "127.0.0.1:" + port(s.socketUrl()))), "as before");
            assertTrue(opened(handshake(s, "http://localhost:" + http, "localhost:" + port(s.socketUrl()))), "as before");
            // not the dashboard's own origin: another site, another port, another host, no host
            for (String foreign : List.of("http://evil.example:" + http, "http://" + NAME + ":" + (http + 1), "http://" + NAME,
                "null", "http://" + NAME + ":" + http + "/", "ftp://" + NAME + ":" + http, "http://user@" + NAME + ":" + http)) {
                Response r = handshake(s, foreign, socketHost);
                assertFalse(opened(r), foreign + " was accepted: " + r);
                assertEquals(401, r.status(), foreign);
                assertFalse(r.headers().containsKey("access-control-allow-origin"), "no CORS grant for " + foreign);
            }
            // a client that is not a browser page sends no Origin: its key decides
            assertTrue(opened(handshake(s, null, socketHost)));

            JsonNode info = info(s, NAME + ":" + http, null);
            assertEquals("http://" + NAME + ":" + http, info.path("origin").asText());
            assertTrue(info.path("allowed").asBoolean(), info.toString());
            JsonNode foreign = info(s, NAME + ":" + http, "http://evil.example:" + http);
            assertEquals("http://evil.example:" + http, foreign.path("origin").asText());
            assertFalse(foreign.path("allowed").asBoolean(), foreign.toString());
        } finally {
            release();
        }
        List<String> refusals = logged.stream().map(LogRecord::getMessage).filter(m -> m.contains("refused")).toList();
        assertTrue(refusals.stream().anyMatch(m -> m.contains("http://evil.example") && m.contains(OriginPolicy.SETTING)),
            "the refusal is logged naming " + OriginPolicy.SETTING + ": " + refusals);
    }

    @Test
    void aConfiguredListIsExactlyWhatIsAllowed() throws Exception {
        List<LogRecord> logged;
        try (TestServer s = TestServer.start(TestServer.Backend.H2,
            Map.of("SWITCHBOARD_CORS_ORIGINS", "http://dashboard.example:8080"))) {
            logged = capture();
            int http = port(s.baseUrl());
            String socketHost = NAME + ":" + port(s.socketUrl());
            String ownOrigin = "http://" + NAME + ":" + http;
            for (int i = 0; i < 3; i++) {
                Response r = handshake(s, ownOrigin, socketHost);
                assertEquals(401, r.status(), "not listed, so refused even though it is the dashboard's own: " + r);
            }
            Response listed = handshake(s, "http://dashboard.example:8080", socketHost);
            assertTrue(opened(listed), listed.toString());
            assertEquals("http://dashboard.example:8080", listed.headers().get("access-control-allow-origin"));

            JsonNode info = info(s, NAME + ":" + http, null);
            assertEquals(ownOrigin, info.path("origin").asText());
            assertFalse(info.path("allowed").asBoolean(), "the page learns it will be refused: " + info);
            assertTrue(info(s, NAME + ":" + http, "http://dashboard.example:8080").path("allowed").asBoolean());

            // a flood of made-up origins cannot flood the log
            for (int i = 0; i < 100; i++) {
                handshake(s, "http://flood-" + i + ".example", socketHost);
            }
        } finally {
            release();
        }
        List<String> refusals = logged.stream().map(LogRecord::getMessage).toList();
        List<String> ownRefusals = refusals.stream().filter(m -> m.contains("origin http://" + NAME + ":")).toList();
        assertEquals(1, ownRefusals.size(), "three refusals of one origin are logged once: " + refusals);
        assertTrue(ownRefusals.get(0).contains("add it to " + OriginPolicy.SETTING), ownRefusals.get(0));
        assertTrue(ownRefusals.get(0).contains("http://dashboard.example:8080"), "says what is allowed: " + ownRefusals.get(0));
        assertTrue(refusals.size() <= 66, "at most 64 origins and one line saying the rest are not logged: " + refusals.size());
        assertTrue(refusals.stream().anyMatch(m -> m.contains("further ones are not logged")), refusals.toString());
    }

    private static JsonNode info(TestServer s, String host, String origin) throws Exception {
        Response r = exchange(port(s.baseUrl()), "/api/info", host, origin, TestServer.SUPERVISOR_KEY);
        assertEquals(200, r.status(), r.toString());
        return new ObjectMapper().readTree(r.body()).path("socket_origin");
    }

    // ---- log capture ---------------------------------------------------------------------------

    private static LogCapture capture;

    private static List<LogRecord> capture() {
        capture = LogCapture.on(OriginPolicy.class.getName());
        return capture.records;
    }

    private static void release() {
        capture.close();
    }
}
