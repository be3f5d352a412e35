package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.reliability.HostileRequests.Attempt;
import dev.switchboard.reliability.HostileRequests.Sent;
import dev.switchboard.server.Events;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over 1,000 generated malformed and hostile requests ({@link HostileRequests}) against a real
 * server: no 5xx; every refusal is a 4xx {@code application/problem+json} whose body names the same
 * status; the server is healthy afterwards; nothing was stored from any refused request (checked
 * in the database row by row); and everything accepted, injection strings included, is stored
 * and returned exactly as sent (in the reply, by {@code GET /api/calls/{id}/events}, and in the
 * database).
 */
abstract class HostileRequestsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    abstract TestServer.Backend backend();

    /** Per family: tried, by status, 5xx, closed without a reply. */
    private static final class Tally {
        int tried;
        int fiveXx;
        int closed;
        final Map<Integer, Integer> byStatus = new TreeMap<>();
    }

    private record Key(String callId, String eventId) {
    }

    @Test
    void aThousandHostileRequestsGetNo5xxAndLeaveNoTrace() throws Exception {
        List<Attempt> attempts = HostileRequests.all();
        assertTrue(attempts.size() >= 1_000, "corpus too small: " + attempts.size());
        try (TestServer server = TestServer.start(backend())) {
            int port = Integer.parseInt(server.baseUrl().substring(server.baseUrl().lastIndexOf(':') + 1));
            long seqBefore;
            Set<String> callsBefore = new HashSet<>();
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                seqBefore = scalar(s, "SELECT COALESCE(MAX(seq), 0) FROM call_events");
                try (ResultSet rs = s.executeQuery("SELECT id FROM calls")) {
                    while (rs.next()) {
                        callsBefore.add(rs.getString(1));
                    }
                }
            }
            List<String> failures = new ArrayList<>();
            Map<String, Tally> tallies = new LinkedHashMap<>();
            Map<Key, JsonNode> accepted = new HashMap<>();      // (call id, event id) -> data as sent
            Set<String> acceptedCalls = new HashSet<>();
            long slowest = 0;
            String slowestWhat = "";
            int notProblemJson = 0;
            // attempts are independent (call ids of their own): four at a time
            List<Outcome> outcomes;
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<Outcome>> futures = new ArrayList<>();
                for (Attempt a : attempts) {
                    futures.add(pool.submit(() -> run(a, port)));
                }
                outcomes = new ArrayList<>();
                for (Future<Outcome> f : futures) {
                    outcomes.add(f.get(120, TimeUnit.SECONDS));
                }
            }
            for (Outcome o : outcomes) {
                Tally t = tallies.computeIfAbsent(o.attempt.family(), k -> new Tally());
                t.tried++;
                t.byStatus.merge(o.status, 1, Integer::sum);
                t.fiveXx += o.fiveXx;
                t.closed += o.status < 0 ? 1 : 0;
                failures.addAll(o.failures);
                accepted.putAll(o.accepted);
                o.accepted.keySet().forEach(k -> acceptedCalls.add(k.callId()));
                notProblemJson += o.notProblemJson ? 1 : 0;
                if (o.millis > slowest && !o.attempt.family().equals("broken HTTP framing")) {
                    slowest = o.millis;
                    slowestWhat = o.attempt.request().describe();
                }
            }

            // the database: nothing from refused requests, everything accepted stored verbatim
            int rowsAdded = 0;
            int externalRows = 0;
            try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
                try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, id, call_id, source, metadata, type FROM call_events WHERE seq > ? ORDER BY seq")) {
                    ps.setLong(1, seqBefore);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rowsAdded++;
                            String callId = rs.getString(3);
                            if (callId == null) {
                                // a supervisor's action about no call: only "set available" of an agent the server knows
                                if (!"supervisor".equals(rs.getString(4)) || !"agent_available".equals(rs.getString(6))) {
                                    failures.add("an entry about no call that is not a supervisor's action: seq " + rs.getLong(1));
                                }
                                continue;
                            }
                            if (!acceptedCalls.contains(callId)) {
                                failures.add("stored for a call no request had accepted: seq " + rs.getLong(1) + " " + callId);
                            }
                            if ("external".equals(rs.getString(4))) {
                                externalRows++;
                                Key k = new Key(callId, rs.getString(2));
                                if (!accepted.containsKey(k)) {
                                    failures.add("an event no reply accepted is stored: " + k);
                                } else if (!withoutServerFields(JSON.readTree(rs.getString(5))).equals(accepted.get(k))) {
                                    failures.add("stored data differs for " + k + ": " + rs.getString(5) + " vs " + accepted.get(k));
                                }
                            }
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT id FROM calls")) {
                    while (rs.next()) {
                        if (!callsBefore.contains(rs.getString(1)) && !acceptedCalls.contains(rs.getString(1))) {
                            failures.add("a call row no request created: " + rs.getString(1));
                        }
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT call_id FROM alerts")) {
                    while (rs.next()) {
                        if (!acceptedCalls.contains(rs.getString(1))) {
                            failures.add("an alert for a call no request created: " + rs.getString(1));
                        }
                    }
                }
                for (String table : List.of("calls", "call_events", "alerts", "agents", "queues", "outbox", "webhook_subscriptions")) {
                    scalar(s, "SELECT COUNT(*) FROM " + table);   // still there: nothing was executed
                }
                assertEquals(3, scalar(s, "SELECT COUNT(*) FROM queues"), "queues untouched");
            }
            if (externalRows != accepted.size()) {
                failures.add("accepted " + accepted.size() + " events but " + externalRows + " are stored");
            }

            // read back over HTTP, exactly as sent
            int readBack = 0;
            Map<String, List<Map.Entry<Key, JsonNode>>> byCall = new HashMap<>();
            accepted.entrySet().forEach(e -> byCall.computeIfAbsent(e.getKey().callId(), k -> new ArrayList<>()).add(e));
            for (Map.Entry<String, List<Map.Entry<Key, JsonNode>>> call : byCall.entrySet()) {
                if (call.getKey().contains("/")) {
                    continue;   // a path segment cannot hold a slash; such calls were checked in the database above
                }
                Exchange.Response r = Exchange.send(port, Exchange.Request.of("GET", "/api/calls/"
                    + HostileRequests.enc(call.getKey()) + "/events", Exchange.headers("X-API-Key", TestServer.SUPERVISOR_KEY), null));
                if (r.status() != 200) {
                    failures.add("GET events of accepted call " + call.getKey() + " -> " + r.status() + " " + r.body());
                    continue;
                }
                Map<String, JsonNode> history = new HashMap<>();
                for (JsonNode e : JSON.readTree(r.body())) {
                    if (!call.getKey().equals(e.path("call_id").asText())) {
                        failures.add("GET events of " + call.getKey() + " returned call_id " + e.path("call_id").asText());
                    }
                    history.put(e.path("id").asText(), withoutServerFields(e.path("metadata")));
                }
                for (Map.Entry<Key, JsonNode> e : call.getValue()) {
                    readBack++;
                    if (!e.getValue().equals(history.get(e.getKey().eventId()))) {
                        failures.add("GET events of " + call.getKey() + ": " + e.getKey().eventId() + " reads "
                            + history.get(e.getKey().eventId()) + ", sent " + e.getValue());
                    }
                }
            }

            // healthy afterwards, without a restart
            assertEquals(200, server.get("/observe/health/ready", null).statusCode(), "ready after the barrage");
            String after = "after-" + backend();
            assertEquals(201, server.postEvent(Events.initiated(after + "-1", after, "medical_spanish")).statusCode());
            assertEquals(201, server.postEvent(Events.routed(after + "-2", after, "ana_garcia")).statusCode());
            assertEquals(201, server.postEvent(Events.simple(after + "-3", "call_answered", after)).statusCode());
            assertEquals(201, server.postEvent(Events.ended(after + "-4", after, "completed")).statusCode());
            assertEquals(200, server.get("/api/calls").statusCode());

            int tried = 0;
            int fiveXx = 0;
            for (Map.Entry<String, Tally> e : tallies.entrySet()) {
                Tally t = e.getValue();
                tried += t.tried;
                fiveXx += t.fiveXx;
                Figures.record("bad input (" + backend() + ")", String.format("%-24s tried %4d, 5xx %d, closed without reply %d, statuses %s",
                    e.getKey(), t.tried, t.fiveXx, t.closed, t.byStatus));
            }
            Figures.record("bad input (" + backend() + ")", "TOTAL requests tried " + tried + " vs 5xx " + fiveXx
                + "; accepted events " + accepted.size() + " all stored verbatim: " + (externalRows == accepted.size())
                + " (" + readBack + " read back over HTTP); rows added " + rowsAdded + "; slowest " + slowest + " ms ("
                + slowestWhat + "); non-problem+json refusals (HTTP framing, from Helidon's parser) " + notProblemJson
                + "; failures " + failures.size());
            failures.stream().limit(60).forEach(f -> System.out.println("FAILURE " + f));
            assertTrue(slowest < 9_000, "a request took " + slowest + " ms: " + slowestWhat);
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + String.join("\n", failures.stream().limit(30).toList()));
        }
    }

    /** What one attempt did. */
    private static final class Outcome {
        final Attempt attempt;
        int status;
        long millis;
        int fiveXx;
        boolean notProblemJson;
        final List<String> failures = new ArrayList<>();
        final Map<Key, JsonNode> accepted = new HashMap<>();

        Outcome(Attempt attempt) {
            this.attempt = attempt;
        }
    }

    private static Outcome run(Attempt a, int port) throws IOException {
        Outcome o = new Outcome(a);
        List<String> failures = o.failures;
        for (Sent s : a.setup()) {
            Exchange.Response r = Exchange.send(port, Exchange.Request.of("POST", "/api/events",
                Exchange.headers("X-API-Key", TestServer.INGEST_KEY, "Content-Type", "application/json"),
                HostileRequests.bytes(setupEvent(s))));
            if (r.status() != 201) {
                failures.add("setup of " + a.family() + " failed: " + r.status() + " " + r.body());
                continue;
            }
            o.accepted.put(new Key(s.callId(), s.eventId()), s.data());
        }
        Exchange.Response r = Exchange.send(port, a.request());
        o.status = r.status();
        o.millis = r.millis();
        String what = a.family() + ": " + a.request().describe() + " -> " + r.status() + " "
            + (r.body() == null ? "" : r.body().substring(0, Math.min(200, r.body().length())));
        if (r.closedWithoutReply()) {
            if (!a.family().equals("broken HTTP framing")) {
                failures.add("no reply: " + what);
            }
            return o;
        }
        if (r.status() >= 500) {
            o.fiveXx++;
            failures.add("5xx: " + what);
            return o;
        }
        if (a.expected() != null && !a.expected().contains(r.status())) {
            failures.add("expected " + a.expected() + ": " + what);
        }
        if (r.status() >= 300) {
            if (r.status() < 400) {
                failures.add("not a 4xx: " + what);
            }
            if (!"application/problem+json".equals(r.contentType())) {
                o.notProblemJson = true;
                if (!a.family().equals("broken HTTP framing")) {
                    failures.add("not problem+json (" + r.contentType() + "): " + what);
                }
            } else if (!"HEAD".equals(a.request().method())) {
                JsonNode p = JSON.readTree(r.body());
                if (p.path("status").asInt() != r.status() || !p.has("title") || !p.path("errors").isArray()) {
                    failures.add("problem body does not match: " + what);
                }
            }
            return o;
        }
        // accepted: the reply must carry exactly what was sent
        if (a.batch()) {
            JsonNode results = JSON.readTree(r.body()).path("results");
            for (int i = 0; i < a.sent().size(); i++) {
                JsonNode item = results.path(i);
                int status = item.path("status").asInt();
                Sent s = a.sent().get(i);
                if (status >= 500) {
                    o.fiveXx++;
                    failures.add("5xx item " + i + ": " + what);
                } else if (status == 201) {
                    verifyReply(item, s, failures, what);
                    o.accepted.put(new Key(s.callId(), item.path("event").path("id").asText()), s.data());
                } else if (status != 200 && item.path("problem").path("status").asInt() != status) {
                    failures.add("item " + i + " has no problem: " + what);
                }
            }
        } else if (!a.sent().isEmpty()) {
            JsonNode reply = JSON.readTree(r.body());
            Sent s = a.sent().get(0);
            verifyReply(reply, s, failures, what);
            if (r.status() == 201) {
                o.accepted.put(new Key(s.callId(), reply.path("event").path("id").asText()), s.data());
            }
        }
        return o;
    }

    private static ObjectNode setupEvent(Sent s) {
        // setup events are plain lifecycle steps: recognise them by their id suffix
        String suffix = s.eventId().substring(s.eventId().lastIndexOf('-') + 1);
        String type = switch (suffix) {
            case "i" -> "call_initiated";
            case "r" -> "call_routed";
            default -> throw new IllegalArgumentException("unknown setup step " + s.eventId());
        };
        return HostileRequests.event(s.eventId(), type, s.callId(), (ObjectNode) s.data());
    }

    private static void verifyReply(JsonNode reply, Sent s, List<String> failures, String what) {
        JsonNode event = reply.path("event");
        if (!s.callId().equals(event.path("call_id").asText()) || !s.callId().equals(reply.path("call").path("id").asText())) {
            failures.add("reply names call " + event.path("call_id") + ", sent " + JSON.valueToTree(s.callId()) + ": " + what);
        }
        if (s.eventId() != null && !s.eventId().equals(event.path("id").asText())) {
            failures.add("reply names event " + event.path("id") + ", sent " + JSON.valueToTree(s.eventId()) + ": " + what);
        }
        if (reply.path("duplicate").asBoolean()) {
            failures.add("a new event answered as a duplicate: " + what);
        }
        if (!withoutServerFields(event.path("metadata")).equals(s.data())) {
            failures.add("reply metadata " + event.path("metadata") + " differs from data sent " + s.data() + ": " + what);
        }
    }

    /** The metadata of an external event is its data plus {@code source} (and {@code late}). */
    private static JsonNode withoutServerFields(JsonNode metadata) {
        ObjectNode m = metadata.deepCopy();
        m.remove("source");
        m.remove("late");
        return m;
    }

    private static long scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
