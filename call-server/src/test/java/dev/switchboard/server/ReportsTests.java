package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reports and the call filters end to end: a scripted morning posted through
 * {@code POST /api/events} with explicit (past) timestamps, then the figures asked of
 * {@code /api/reports/*} and {@code /api/calls}, exact to the second at the interval edges, before
 * and after a restart.
 *
 * <p>The day is two days ago (UTC, the center's zone by default), so every timestamp is in the
 * past and applied as sent. Ring timeout, maximum hold and idle expiry are set far beyond it, so
 * no timer of the service decides anything in the script (deadlines already passed would fire at
 * once); the SLA (30 s, 45 s for legal_french) and the short abandon (5 s) are the defaults the
 * figures are measured against.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReportsTests extends ServerTests {

    static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    static final LocalDate OTHER_DAY = DAY.minusDays(1);

    @Override
    Map<String, String> settings() {
        return Map.of("SWITCHBOARD_RING_TIMEOUT", "PT240H", "SWITCHBOARD_MAX_HOLD", "PT240H",
            "SWITCHBOARD_CALL_MAX_IDLE", "PT720H");
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private boolean scripted;
    /** The agent the service re-routed day-c6 to after ana's retransfer, or {@code null} if it stayed queued. */
    private String rerouted;

    static String at(String time) {
        return DAY + "T" + time + "Z";
    }

    static long ms(String time) {
        return Instant.parse(at(time)).toEpochMilli();
    }

    static String event(String id, String type, String call, String at, String data) {
        return "{\"event_id\":\"" + id + "\",\"type\":\"" + type + "\",\"call_id\":\"" + call + "\",\"timestamp\":\"" + at
            + "\",\"data\":" + data + "}";
    }

    JsonNode post(String id, String type, String call, String time, String data) {
        HttpResponse<String> r = server.postEvent(event(id, type, call, time.length() == 8 ? at(time) : time, data));
        assertEquals(201, r.statusCode(), r.body());
        JsonNode reply = json(r.body());
        assertTrue(!reply.path("event").path("metadata").path("late").asBoolean(), "applied at its own time: " + r.body());
        return reply;
    }

    static JsonNode json(String body) {
        try {
            return Wire.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    HttpResponse<String> get(String path, String key, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30));
        b.header("X-API-Key", key);
        if (accept != null) {
            b.header("Accept", accept);
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

    JsonNode ok(String path) {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return json(r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The morning, in medical_spanish (SLA 30 s) unless said otherwise:
     * <pre>
     * day-c1 08:14:20 in, 08:14:25 ana, answered 08:14:59 (39 s: late), hold 08:16-08:17, ended 08:20:00
     * day-c2 08:14:40 in, 08:14:45 luis, answered 08:15:00 (20 s), ended 08:25:00
     * day-c3 08:20:00 in, hung up 08:20:03 (3 s: a short abandon)
     * day-c4 08:21:00 in, hung up 08:22:00 (60 s: abandoned)
     * day-c5 legal_french (SLA 45 s) 08:29:00 in, 08:29:10 chloe, answered 08:29:40 (40 s),
     *        transferred to medical_spanish 08:35:00, 08:35:05 sofia, answered 08:35:20 (20 s), ended 08:40:00
     * day-c6 08:49:35 in, 08:50:00 ana, retransfer 08:50:15 (ana missed it), hung up 08:50:15 (40 s: abandoned)
     * </pre>
     */
    synchronized void script() {
        if (scripted) {
            return;
        }
        String voice = "{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}";
        post("c1-1", "call_initiated", "day-c1", "08:14:20", voice);
        post("c2-1", "call_initiated", "day-c2", "08:14:40", voice);
        post("c1-2", "call_routed", "day-c1", "08:14:25", "{\"agent_id\":\"ana_garcia\"}");
        post("c2-2", "call_routed", "day-c2", "08:14:45", "{\"agent_id\":\"luis_martinez\"}");
        post("c1-3", "call_answered", "day-c1", "08:14:59", "{}");
        post("c2-3", "call_answered", "day-c2", "08:15:00", "{}");
        post("c1-4", "call_hold", "day-c1", "08:16:00", "{}");
        post("c1-5", "call_resumed", "day-c1", "08:17:00", "{}");
        post("c1-6", "call_ended", "day-c1", "08:20:00", "{\"end_reason\":\"completed\"}");
        post("c3-1", "call_initiated", "day-c3", "08:20:00", voice);
        post("c3-2", "call_ended", "day-c3", "08:20:03", "{\"end_reason\":\"caller_hangup\"}");
        post("c4-1", "call_initiated", "day-c4", "08:21:00", voice);
        post("c2-4", "call_ended", "day-c2", "08:25:00", "{\"end_reason\":\"completed\"}");
        post("c4-2", "call_ended", "day-c4", "08:22:00", "{\"end_reason\":\"caller_hangup\"}");
        post("c5-1", "call_initiated", "day-c5", "08:29:00", "{\"type\":\"video\",\"queue_id\":\"legal_french\"}");
        post("c5-2", "call_routed", "day-c5", "08:29:10", "{\"agent_id\":\"chloe_martin\"}");
        post("c5-3", "call_answered", "day-c5", "08:29:40", "{}");
        post("c5-4", "call_transferred", "day-c5", "08:35:00", "{\"queue_id\":\"medical_spanish\"}");
        post("c5-5", "call_routed", "day-c5", "08:35:05", "{\"agent_id\":\"sofia_lopez\"}");
        post("c5-6", "call_answered", "day-c5", "08:35:20", "{}");
        post("c5-7", "call_ended", "day-c5", "08:40:00", "{\"end_reason\":\"completed\"}");
        post("c6-1", "call_initiated", "day-c6", "08:49:35", voice);
        post("c6-2", "call_routed", "day-c6", "08:50:00", "{\"agent_id\":\"ana_garcia\"}");
        JsonNode back = post("c6-3", "call_retransfer", "day-c6", "08:50:15", "{\"reason\":\"no_answer\"}");
        // the service re-routes a retransferred call to the next free agent of the queue, if any
        rerouted = back.path("call").path("agent_id").isTextual() ? back.path("call").path("agent_id").asText() : null;
        post("c6-4", "call_ended", "day-c6", "08:50:15", "{\"end_reason\":\"caller_hangup\"}");
        // another day: calls for the id search and the flag filter
        String otherDay = OTHER_DAY + "T10:00:00Z";
        post("w1-1", "call_initiated", "wild%_1", otherDay, voice);
        post("w1-2", "call_routed", "wild%_1", OTHER_DAY + "T10:00:05Z", "{\"agent_id\":\"luis_martinez\"}");
        post("w1-3", "call_answered", "wild%_1", OTHER_DAY + "T10:00:10Z", "{}");
        post("w1-4", "call_ended", "wild%_1", OTHER_DAY + "T10:00:14Z", "{\"end_reason\":\"completed\"}");   // 4 s: review
        post("w2-1", "call_initiated", "wildXY2", OTHER_DAY + "T11:00:00Z", voice);
        post("w2-2", "call_ended", "wildXY2", OTHER_DAY + "T11:00:30Z", "{\"end_reason\":\"caller_hangup\"}");
        scripted = true;
    }

    JsonNode item(JsonNode items, String start, String queue) {
        for (JsonNode i : items) {
            if (i.path("start").asText().equals(start) && i.path("queue_id").asText().equals(queue)) {
                return i;
            }
        }
        throw new AssertionError("no item " + start + " " + queue + " in " + items);
    }

    /** One interval's figures: {offered, answered, within SLA, abandoned, short}, then the rates and times. */
    static void assertFigures(JsonNode i, int offered, int answered, int withinSla, int abandoned, int abandonedShort,
                              Double serviceLevel, Double abandonRate, Double asa, Double aht, double longestWait) {
        String what = i.toString();
        assertEquals(offered, i.path("offered").asInt(), what);
        assertEquals(answered, i.path("answered").asInt(), what);
        assertEquals(withinSla, i.path("answered_within_sla").asInt(), what);
        assertEquals(abandoned, i.path("abandoned").asInt(), what);
        assertEquals(abandonedShort, i.path("abandoned_short").asInt(), what);
        assertEquals(serviceLevel, number(i.path("service_level")), what);
        assertEquals(abandonRate, number(i.path("abandon_rate")), what);
        assertEquals(asa, number(i.path("asa")), what);
        assertEquals(aht, number(i.path("aht")), what);
        assertEquals(longestWait, i.path("longest_wait").asDouble(), what);
    }

    static Double number(JsonNode n) {
        assertTrue(n.isNull() || n.isNumber(), "a number or null: " + n);
        return n.isNull() ? null : n.asDouble();
    }

    String quarterHours() {
        return "/api/reports/intervals?from=" + at("08:00:00") + "&to=" + at("09:00:00") + "&interval=PT15M";
    }

    @Test
    void quarterHoursCountEachFigureWhereItHappened() {
        script();
        JsonNode items = ok(quarterHours()).path("items");
        // 4 quarter hours x 3 queues, in time order then queue order, empty ones included
        assertEquals(12, items.size(), items.toString());
        List<String> order = new ArrayList<>();
        items.forEach(i -> order.add(i.path("start").asText().substring(11, 16) + " " + i.path("queue_id").asText()));
        assertEquals(List.of("08:00 legal_french", "08:00 medical_english", "08:00 medical_spanish",
            "08:15 legal_french", "08:15 medical_english", "08:15 medical_spanish",
            "08:30 legal_french", "08:30 medical_english", "08:30 medical_spanish",
            "08:45 legal_french", "08:45 medical_english", "08:45 medical_spanish"), order);
        assertEquals(at("08:15:00"), item(items, at("08:00:00"), "medical_spanish").path("end").asText());
        // answered at 08:14:59 (39 s, past the SLA) counts in 08:00; answered at 08:15:00 in 08:15
        assertFigures(item(items, at("08:00:00"), "medical_spanish"), 2, 1, 0, 0, 0, 0.0, 0.0, 39.0, null, 39.0);
        // c2 answered within the SLA; c3 a short abandon (not in the rates), c4 abandoned; c1 (301 s) and c2 (600 s) ended
        assertFigures(item(items, at("08:15:00"), "medical_spanish"), 2, 1, 1, 1, 1, 0.5, 0.5, 20.0, 450.5, 60.0);
        // c5 transferred in (offered again here), answered 20 s after the transfer; its handle time from the first answer
        assertFigures(item(items, at("08:30:00"), "medical_spanish"), 1, 1, 1, 0, 0, 1.0, 0.0, 20.0, 620.0, 20.0);
        assertFigures(item(items, at("08:45:00"), "medical_spanish"), 1, 0, 0, 1, 0, 0.0, 1.0, null, null, 40.0);
        // legal_french's SLA is 45 s: 40 s is within it
        assertFigures(item(items, at("08:15:00"), "legal_french"), 1, 1, 1, 0, 0, 1.0, 0.0, 40.0, null, 40.0);
        assertFigures(item(items, at("08:30:00"), "legal_french"), 0, 0, 0, 0, 0, null, null, null, null, 0.0);
        assertFigures(item(items, at("08:00:00"), "medical_english"), 0, 0, 0, 0, 0, null, null, null, null, 0.0);

        JsonNode one = ok(quarterHours() + "&queue=legal_french").path("items");
        assertEquals(4, one.size());
        one.forEach(i -> assertEquals("legal_french", i.path("queue_id").asText()));
    }

    @Test
    void aDayIsTheSumOfItsIntervals() {
        script();
        JsonNode items = ok("/api/reports/intervals?from=" + DAY + "&interval=P1D&queue=medical_spanish").path("items");
        assertEquals(1, items.size(), items.toString());
        assertEquals(DAY + "T00:00:00Z", items.get(0).path("start").asText());
        assertEquals(DAY.plusDays(1) + "T00:00:00Z", items.get(0).path("end").asText());
        // answered 3 (2 within), abandoned 2 (+1 short): 2/5 and 2/5; ASA (39+20+20)/3; AHT (301+600+620)/3
        assertFigures(items.get(0), 6, 3, 2, 2, 1, 0.4, 0.4, 26.333, 507.0, 60.0);
        // the default interval is an hour: 24 of them for each of the 3 queues
        assertEquals(72, ok("/api/reports/intervals?from=" + DAY).path("items").size());
        // a from between two edges clips the first interval
        JsonNode clipped = ok("/api/reports/intervals?from=" + at("08:07:00") + "&to=" + at("08:30:00")
            + "&interval=PT15M&queue=medical_spanish").path("items");
        assertEquals(2, clipped.size());
        assertEquals(at("08:07:00"), clipped.get(0).path("start").asText());
        assertEquals(at("08:15:00"), clipped.get(0).path("end").asText());
        assertFigures(clipped.get(0), 2, 1, 0, 0, 0, 0.0, 0.0, 39.0, null, 39.0);
    }

    @Test
    void agentsGetTheirCallsAndTimes() {
        script();
        JsonNode items = ok("/api/reports/agents?from=" + DAY).path("items");
        JsonNode ana = agent(items, "ana_garcia");
        // c1 answered; c6 rang and went back to the queue
        assertEquals(2, ana.path("offered").asInt(), ana.toString());
        assertEquals(1, ana.path("answered").asInt());
        assertEquals(1, ana.path("missed").asInt());
        assertEquals(61.0 + 180.0, ana.path("talk_time").asDouble());
        assertEquals(60.0, ana.path("hold_time").asDouble());
        // no presence entry: logged in and available from her first call to the end of the day
        double loggedIn = (Instant.parse(DAY.plusDays(1) + "T00:00:00Z").toEpochMilli() - ms("08:14:25")) / 1000.0;
        assertEquals(loggedIn, ana.path("logged_in_time").asDouble());
        assertEquals(0.0, ana.path("not_ready_time").asDouble());
        assertEquals(Math.round(301.0 / loggedIn * 1000) / 1000.0, ana.path("occupancy").asDouble());
        JsonNode luis = agent(items, "luis_martinez");
        assertEquals(600.0, luis.path("talk_time").asDouble(), luis.toString());
        assertEquals("luis_martinez".equals(rerouted) ? 2 : 1, luis.path("offered").asInt());
        assertEquals(1, luis.path("answered").asInt());
        assertEquals(320.0, agent(items, "chloe_martin").path("talk_time").asDouble());
        assertEquals(280.0, agent(items, "sofia_lopez").path("talk_time").asDouble());
        if (rerouted != null) {
            JsonNode other = agent(items, rerouted);
            assertTrue(other.path("offered").asInt() >= 1, other.toString());
            assertEquals(0, other.path("missed").asInt(), "a call that ends while ringing is no miss");
        }
        // the day before: luis's 4-second call only
        JsonNode before = agent(ok("/api/reports/agents?from=" + OTHER_DAY).path("items"), "luis_martinez");
        assertEquals(4.0, before.path("talk_time").asDouble(), before.toString());
    }

    static JsonNode agent(JsonNode items, String id) {
        for (JsonNode i : items) {
            if (i.path("agent_id").asText().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no agent " + id + " in " + items);
    }

    @Test
    void csvHasAHeaderOfTheJsonNamesAndOneRowPerItem() {
        script();
        HttpResponse<String> r = get(quarterHours() + "&queue=medical_spanish", TestServer.SUPERVISOR_KEY, "text/csv");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), r.headers().toString());
        String[] lines = r.body().split("\r\n");
        assertEquals(5, lines.length, r.body());
        assertEquals("start,end,queue_id,offered,answered,answered_within_sla,abandoned,abandoned_short,service_level,"
            + "abandon_rate,asa,aht,longest_wait", lines[0]);
        assertEquals(at("08:15:00") + "," + at("08:30:00") + ",medical_spanish,2,1,1,1,1,0.5,0.5,20.0,450.5,60.0", lines[2]);
        assertEquals(at("08:45:00") + "," + at("09:00:00") + ",medical_spanish,1,0,0,1,0,0.0,1.0,,,40.0", lines[4]);
        // format=csv does the same; format=json wins over the Accept header
        assertEquals(r.body(), server.get(quarterHours() + "&queue=medical_spanish&format=csv").body());
        HttpResponse<String> asJson = get(quarterHours() + "&format=json", TestServer.ADMIN_KEY, "text/csv");
        assertEquals(12, json(asJson.body()).path("items").size());

        HttpResponse<String> agents = get("/api/reports/agents?from=" + DAY, TestServer.SUPERVISOR_KEY, "text/csv");
        String[] rows = agents.body().split("\r\n");
        assertEquals("agent_id,offered,answered,missed,talk_time,hold_time,wrap_up_time,logged_in_time,not_ready_time,"
            + "not_ready_by_reason,occupancy", rows[0]);
        assertEquals(json(server.get("/api/reports/agents?from=" + DAY).body()).path("items").size() + 1, rows.length);
        assertTrue(List.of(rows).stream().anyMatch(l -> l.startsWith("chloe_martin,1,1,0,320.0,0.0,0.0,")), agents.body());
    }

    @Test
    void badParametersAreRefusedByName() {
        assertRefused("/api/reports/intervals", "from");
        assertRefused("/api/reports/intervals?from=yesterday", "from");
        assertRefused("/api/reports/intervals?from=" + DAY + "&to=" + DAY, "to");
        assertRefused("/api/reports/intervals?from=" + DAY + "&to=" + DAY.plusDays(32), "to");
        assertRefused("/api/reports/intervals?from=" + DAY + "&interval=PT5M", "interval");
        assertRefused("/api/reports/intervals?from=" + DAY + "&queue=nope", "queue");
        assertRefused("/api/reports/intervals?from=" + DAY + "&format=xml", "format");
        assertRefused("/api/reports/intervals?from=" + DAY + "&agent=ana", "agent");
        assertRefused("/api/reports/agents?from=" + DAY + "&interval=PT1H", "interval");
        assertRefused("/api/reports/agents?to=" + DAY, "from");
        assertRefused("/api/calls?from=today", "from");
        assertRefused("/api/calls?to=" + DAY, "to");
        assertRefused("/api/calls?from=" + at("09:00:00") + "&to=" + at("08:00:00"), "to");
        assertRefused("/api/calls?flag=urgent", "flag");
        assertRefused("/api/calls?q=" + "x".repeat(129), "q");
        assertRefused("/api/calls?end_reason=", "end_reason");
        // 31 days is the most
        assertEquals(200, server.get("/api/reports/intervals?from=" + DAY + "&to=" + DAY.plusDays(31) + "&interval=P1D")
            .statusCode());
        assertEquals(403, server.get("/api/reports/agents?from=" + DAY, TestServer.INGEST_KEY).statusCode());
        assertEquals(200, server.get("/api/reports/agents?from=" + DAY, TestServer.ADMIN_KEY).statusCode());
    }

    void assertRefused(String path, String parameter) {
        HttpResponse<String> r = server.get(path);
        assertEquals(400, r.statusCode(), path + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(parameter, json(r.body()).path("errors").get(0).path("field").asText(), path + ": " + r.body());
    }

    @Test
    void callsAreFilteredByStartFlagEndReasonAndIdPrefix() {
        script();
        assertEquals(List.of("day-c5", "day-c4", "day-c3"),
            ids("/api/calls?from=" + at("08:20:00") + "&to=" + at("08:29:01")));
        assertEquals(List.of("day-c4", "day-c3"), ids("/api/calls?from=" + at("08:20:00") + "&to=" + at("08:29:00")),
            "to is exclusive");
        assertEquals(List.of("day-c6", "day-c4", "day-c3"), ids("/api/calls?from=" + DAY + "T00:00:00Z&flag=abandoned"));
        assertEquals(List.of("wild%_1"), ids("/api/calls?flag=review&q=wild"));
        assertEquals(List.of("wildXY2"), ids("/api/calls?end_reason=caller_hangup&q=wild"));
        // the id prefix is taken literally: % and _ are not wildcards
        assertEquals(List.of("wild%_1"), ids("/api/calls?q=" + enc("wild%_")));
        assertEquals(List.of(), ids("/api/calls?q=" + enc("wi_d")));
        assertEquals(List.of("wildXY2", "wild%_1"), ids("/api/calls?q=wild"));
        // pages of 2 with a filter: the cursor keeps it
        List<String> paged = new ArrayList<>();
        String next = "/api/calls?from=" + DAY + "T00:00:00Z&to=" + DAY.plusDays(1) + "T00:00:00Z&limit=2";
        int pages = 0;
        while (next != null) {
            JsonNode page = ok(next);
            page.path("items").forEach(c -> paged.add(c.path("id").asText()));
            pages++;
            String cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            next = cursor == null ? null : "/api/calls?from=" + DAY + "T00:00:00Z&to=" + DAY.plusDays(1)
                + "T00:00:00Z&limit=2&cursor=" + cursor;
        }
        assertEquals(List.of("day-c6", "day-c5", "day-c4", "day-c3", "day-c2", "day-c1"), paged);
        assertEquals(3, pages);
    }

    List<String> ids(String path) {
        List<String> out = new ArrayList<>();
        ok(path).path("items").forEach(c -> out.add(c.path("id").asText()));
        return out;
    }

    /**
     * Both reports are the same after a restart (built from the log, not from memory); then
     * presence entries stored as the service stores them (an agent's desktop: lunch, back, logged
     * out; a wrap-up the service started after c1) are counted: not ready by reason, logged-in
     * time up to the log-out, wrap-up time.
     */
    @Test
    @Order(Integer.MAX_VALUE)   // last: it adds presence entries the other tests do not expect
    void reportsAreTheSameAfterARestartAndCountPresence() throws Exception {
        script();
        String intervals = server.get(quarterHours()).body();
        String agents = server.get("/api/reports/agents?from=" + DAY).body();
        server.stop();
        server.startAgain();
        assertEquals(intervals, server.get(quarterHours()).body());
        assertEquals(agents, server.get("/api/reports/agents?from=" + DAY).body());

        server.stop();
        try (Connection c = server.jdbc()) {
            long seq;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM call_events")) {
                rs.next();
                seq = rs.getLong(1);
            }
            String ana = "\"agent_id\":\"ana_garcia\"";
            insert(c, ++seq, "sys:wrap:ana_garcia:" + ms("08:20:00"), "day-c1", "08:20:00", "system",
                "{\"source\":\"system\"," + ana + ",\"presence\":\"wrap_up\",\"until\":\"" + at("08:21:00") + "\"}");
            insert(c, ++seq, "agt-" + seq, null, "12:00:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"not_ready\",\"reason\":\"lunch\",\"by\":\"key:test\",\"role\":\"ingest\"}");
            insert(c, ++seq, "agt-" + seq, null, "12:30:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"available\",\"by\":\"key:test\",\"role\":\"ingest\"}");
            insert(c, ++seq, "agt-" + seq, null, "17:00:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"logged_out\",\"by\":\"key:test\",\"role\":\"ingest\"}");
        }
        server.startAgain();
        JsonNode ana = agent(ok("/api/reports/agents?from=" + DAY).path("items"), "ana_garcia");
        double loggedIn = (ms("17:00:00") - ms("08:14:25")) / 1000.0;
        assertEquals(loggedIn, ana.path("logged_in_time").asDouble(), ana.toString());
        assertEquals(60.0, ana.path("wrap_up_time").asDouble());
        assertEquals(1800.0, ana.path("not_ready_time").asDouble());
        assertEquals(1800.0, ana.path("not_ready_by_reason").path("lunch").asDouble());
        assertEquals(Math.round((241.0 + 60.0 + 60.0) / loggedIn * 1000) / 1000.0, ana.path("occupancy").asDouble());
        // clipped to [from, to): from 12:15 to 16:00, 15 minutes of lunch and all of it logged in
        JsonNode afternoon = agent(ok("/api/reports/agents?from=" + at("12:15:00") + "&to=" + at("16:00:00"))
            .path("items"), "ana_garcia");
        assertEquals(900.0, afternoon.path("not_ready_time").asDouble(), afternoon.toString());
        assertEquals(3.75 * 3600, afternoon.path("logged_in_time").asDouble());
        assertEquals(0.0, afternoon.path("occupancy").asDouble());
        HttpResponse<String> csv = get("/api/reports/agents?from=" + DAY, TestServer.SUPERVISOR_KEY, "text/csv");
        assertTrue(csv.body().contains(",1800.0,lunch=1800.0,"), csv.body());
    }

    private static void insert(Connection c, long seq, String id, String callId, String time, String source, String metadata)
        throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO call_events (seq, id, call_id, type, ts, source, metadata, head) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setString(2, id);
            ps.setString(3, callId);
            ps.setString(4, "agent_presence");
            ps.setObject(5, Instant.parse(at(time)).atOffset(ZoneOffset.UTC));
            ps.setString(6, source);
            ps.setString(7, metadata);
            ps.setBoolean(8, true);
            ps.executeUpdate();
        }
    }
}
