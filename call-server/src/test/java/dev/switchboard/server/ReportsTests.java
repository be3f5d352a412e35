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
 * <p>The script runs some hours before the test (UTC, the center's zone by default), so every
 * timestamp is in the past and applied as sent, and within the day of ring timeout and maximum
 * hold set here, so no timer of the service decides anything in it (a deadline already passed
 * would fire at once); the SLA (30 s, 45 s for legal_french) and the short abandon (5 s) are the
 * defaults the figures are measured against.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ReportsTests extends ServerTests {

    /** Four hours ago: the script's hours are before it and within the last day. */
    static final Instant EARLIER = Instant.now().minus(Duration.ofHours(4));
    static final LocalDate DAY = LocalDate.ofInstant(EARLIER, ZoneOffset.UTC);
    /** The hour the script's "08" stands for: at most 21, so that its "10" is still the same day. */
    static final int BASE_HOUR = Math.min(21, EARLIER.atZone(ZoneOffset.UTC).getHour());
    /** Calls of another time (17 hours before the script: within the ring timeout of a day). */
    static final Instant OTHER = Instant.parse(DAY + "T" + String.format("%02d", BASE_HOUR) + ":00:00Z")
        .minus(Duration.ofHours(17));

    /**
     * Ring timeout and maximum hold of a day (the most a stored queue takes) and idle expiry of a
     * month: every deadline of the script is still ahead, so no timer decides anything in it.
     */
    @Override
    Map<String, String> settings() {
        return Map.of("SWITCHBOARD_RING_TIMEOUT", "PT24H", "SWITCHBOARD_MAX_HOLD", "PT24H",
            "SWITCHBOARD_CALL_MAX_IDLE", "PT720H");
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private boolean scripted;
    /** The agent the service re-routed day-c6 to after ana's retransfer, or {@code null} if it stayed queued. */
    private String rerouted;

    /**
     * A time of the script on {@link #DAY}: {@code "08:14:59"} is 14:59 past {@link #BASE_HOUR},
     * {@code "09:..."} the hour after, and so on (the script reads as a morning; it runs whenever
     * the test does).
     */
    static String at(String time) {
        int hour = BASE_HOUR + Integer.parseInt(time.substring(0, 2)) - 8;
        return DAY + "T" + String.format("%02d", hour) + time.substring(2) + "Z";
    }

    static String other(int seconds) {
        return OTHER.plusSeconds(seconds).toString();
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
        // medical_english gets a 30 s wrap-up: the service writes the wrap-ups into the calls' histories
        HttpResponse<String> queue = server.put("/api/queues/medical_english", TestServer.ADMIN_KEY,
            "{\"name\":\"Medical English\",\"agents\":[\"emma_smith\",\"james_brown\",\"olivia_jones\"],"
                + "\"thresholds\":{\"wrap_up\":30}}");
        assertEquals(200, queue.statusCode(), queue.body());
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
        // medical_english (30 s wrap-up): emma's wrap-up after c7 is cut short by c8's answer, then a whole one after c8
        String english = "{\"type\":\"voice\",\"queue_id\":\"medical_english\"}";
        post("c7-1", "call_initiated", "day-c7", "09:10:00", english);
        post("c7-2", "call_routed", "day-c7", "09:10:05", "{\"agent_id\":\"emma_smith\"}");
        post("c7-3", "call_answered", "day-c7", "09:10:10", "{}");
        post("c7-4", "call_ended", "day-c7", "09:12:10", "{\"end_reason\":\"completed\"}");
        post("c8-1", "call_initiated", "day-c8", "09:12:20", english);
        post("c8-2", "call_routed", "day-c8", "09:12:25", "{\"agent_id\":\"emma_smith\"}");
        post("c8-3", "call_answered", "day-c8", "09:12:30", "{}");
        post("c8-4", "call_ended", "day-c8", "09:13:30", "{\"end_reason\":\"completed\"}");
        // another time, in legal_french: calls for the id search and the flag filter
        String french = "{\"type\":\"voice\",\"queue_id\":\"legal_french\"}";
        post("w1-1", "call_initiated", "wild%_1", other(0), french);
        post("w1-2", "call_routed", "wild%_1", other(5), "{\"agent_id\":\"lucas_bernard\"}");
        post("w1-3", "call_answered", "wild%_1", other(10), "{}");
        post("w1-4", "call_ended", "wild%_1", other(14), "{\"end_reason\":\"completed\"}");   // 4 s: review
        post("w2-1", "call_initiated", "wildXY2", other(3600), french);
        post("w2-2", "call_ended", "wildXY2", other(3630), "{\"end_reason\":\"caller_hangup\"}");
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
        // 4 quarter hours x 3 queues, in time order then the center's queue order, empty ones included
        assertEquals(12, items.size(), items.toString());
        List<String> order = new ArrayList<>();
        items.forEach(i -> order.add(i.path("start").asText().substring(11, 16) + " " + i.path("queue_id").asText()));
        List<String> expected = new ArrayList<>();
        for (String quarter : List.of("08:00:00", "08:15:00", "08:30:00", "08:45:00")) {
            for (String queue : List.of("medical_spanish", "medical_english", "legal_french")) {
                expected.add(at(quarter).substring(11, 16) + " " + queue);
            }
        }
        assertEquals(expected, order);
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
        JsonNode items = ok(morningAgents()).path("items");
        JsonNode ana = agent(items, "ana_garcia");
        // c1 answered; c6 rang and went back to the queue
        assertEquals(2, ana.path("offered").asInt(), ana.toString());
        assertEquals(1, ana.path("answered").asInt());
        assertEquals(1, ana.path("missed").asInt());
        assertEquals(61.0 + 180.0, ana.path("talk_time").asDouble());
        assertEquals(60.0, ana.path("hold_time").asDouble());
        // no presence entry: logged in and available from her first call to the end of the report
        double loggedIn = (ms("10:00:00") - ms("08:14:25")) / 1000.0;
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
        // wrap-ups from the service's entries: 09:12:10-09:12:30 (ended by the next answer), 09:13:30-09:14:00
        JsonNode emma = agent(items, "emma_smith");
        assertEquals(50.0, emma.path("wrap_up_time").asDouble(), emma.toString());
        assertEquals(180.0, emma.path("talk_time").asDouble());
        assertEquals(2, emma.path("answered").asInt());
        double emmaIn = (ms("10:00:00") - ms("09:10:05")) / 1000.0;
        assertEquals(emmaIn, emma.path("logged_in_time").asDouble());
        assertEquals(Math.round(230.0 / emmaIn * 1000) / 1000.0, emma.path("occupancy").asDouble());
        // clipped: 09:12:20-09:13:45 holds 10 s of the first wrap-up and 15 s of the second
        JsonNode clipped = agent(ok("/api/reports/agents?from=" + at("09:12:20") + "&to=" + at("09:13:45"))
            .path("items"), "emma_smith");
        assertEquals(25.0, clipped.path("wrap_up_time").asDouble(), clipped.toString());
        assertEquals(60.0, clipped.path("talk_time").asDouble());
        // another time: lucas's 4-second call only
        JsonNode before = agent(ok("/api/reports/agents?from=" + other(-60) + "&to=" + other(60)).path("items"),
            "lucas_bernard");
        assertEquals(4.0, before.path("talk_time").asDouble(), before.toString());
        assertEquals(1, before.path("answered").asInt());
    }

    /** The agents from the day's midnight to the script's "10:00": a fixed window, already past. */
    static String morningAgents() {
        return "/api/reports/agents?from=" + DAY + "&to=" + at("10:00:00");
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

        HttpResponse<String> agents = get(morningAgents(), TestServer.SUPERVISOR_KEY, "text/csv");
        String[] rows = agents.body().split("\r\n");
        assertEquals("agent_id,offered,answered,missed,talk_time,hold_time,wrap_up_time,logged_in_time,not_ready_time,"
            + "not_ready_by_reason,occupancy", rows[0]);
        assertEquals(json(server.get(morningAgents()).body()).path("items").size() + 1, rows.length);
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
        assertEquals(List.of("day-c6", "day-c4", "day-c3"), ids("/api/calls?from=" + at("08:00:00") + "&flag=abandoned"));
        assertEquals(List.of("wild%_1"), ids("/api/calls?flag=review&q=wild"));
        assertEquals(List.of("wildXY2"), ids("/api/calls?end_reason=caller_hangup&q=wild"));
        // the id prefix is taken literally: % and _ are not wildcards
        assertEquals(List.of("wild%_1"), ids("/api/calls?q=" + enc("wild%_")));
        assertEquals(List.of(), ids("/api/calls?q=" + enc("wi_d")));
        assertEquals(List.of("wildXY2", "wild%_1"), ids("/api/calls?q=wild"));
        // pages of 2 with a filter: the cursor keeps it
        List<String> paged = new ArrayList<>();
        String window = "/api/calls?from=" + at("08:00:00") + "&to=" + at("10:00:00") + "&limit=2";
        String next = window;
        int pages = 0;
        while (next != null) {
            JsonNode page = ok(next);
            page.path("items").forEach(c -> paged.add(c.path("id").asText()));
            pages++;
            String cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
            next = cursor == null ? null : window + "&cursor=" + cursor;
        }
        assertEquals(List.of("day-c8", "day-c7", "day-c6", "day-c5", "day-c4", "day-c3", "day-c2", "day-c1"), paged);
        assertEquals(4, pages);
    }

    List<String> ids(String path) {
        List<String> out = new ArrayList<>();
        ok(path).path("items").forEach(c -> out.add(c.path("id").asText()));
        return out;
    }

    /**
     * Presence set through {@code POST /api/agents/{id}/presence} (stamped now) is in today's
     * report: the not-ready stretch runs from the change to the log-out, under the time the test
     * took; an agent first seen by the route counts as logged in from then.
     */
    @Test
    void presenceSetThroughTheRouteIsReported() {
        long t0 = System.currentTimeMillis();
        String agent = "report_agent_" + backend().name().toLowerCase(java.util.Locale.ROOT);
        assertEquals(200, server.post("/api/agents/" + agent + "/presence", TestServer.INGEST_KEY, "application/json",
            "{\"state\":\"not_ready\",\"reason\":\"training\"}").statusCode());
        assertEquals(200, server.post("/api/agents/" + agent + "/presence", TestServer.SUPERVISOR_KEY, "application/json",
            "{\"state\":\"logged_out\"}").statusCode());
        long t1 = System.currentTimeMillis();
        JsonNode a = agent(ok("/api/reports/agents?from=" + Instant.ofEpochMilli(t0 - 60_000)).path("items"), agent);
        double training = a.path("not_ready_by_reason").path("training").asDouble(-1);
        assertTrue(training >= 0 && training <= (t1 - t0) / 1000.0, a.toString());
        assertEquals(training, a.path("not_ready_time").asDouble());
        assertTrue(a.path("logged_in_time").asDouble() >= training, a.toString());
        assertTrue(a.path("logged_in_time").asDouble() <= (t1 - t0) / 1000.0 + 1, a.toString());
        assertEquals(0, a.path("offered").asInt());
    }

    /**
     * Both reports are the same after a restart (built from the log, not from memory); then
     * presence entries stored as the service stores them (an agent's desktop: lunch, back, logged
     * out) are counted: not ready by reason, logged-in time up to the log-out. They are written
     * while the server is stopped because the presence route stamps its entries with the server's
     * clock (now), and the scripted day is in the past; {@link #presenceSetThroughTheRouteIsReported}
     * covers the route itself.
     */
    @Test
    @Order(Integer.MAX_VALUE)   // last: it adds presence entries the other tests do not expect
    void reportsAreTheSameAfterARestartAndCountPresence() throws Exception {
        script();
        String intervals = server.get(quarterHours()).body();
        String agents = server.get(morningAgents()).body();
        server.stop();
        server.startAgain();
        assertEquals(intervals, server.get(quarterHours()).body());
        assertEquals(agents, server.get(morningAgents()).body());

        server.stop();
        try (Connection c = server.jdbc()) {
            long seq;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM call_events")) {
                rs.next();
                seq = rs.getLong(1);
            }
            String ana = "\"agent_id\":\"ana_garcia\"";
            insert(c, ++seq, "sup-" + seq, null, "09:30:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"not_ready\",\"reason\":\"lunch\",\"by\":\"key:test\",\"role\":\"ingest\"}");
            insert(c, ++seq, "sup-" + seq, null, "09:45:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"available\",\"by\":\"key:test\",\"role\":\"ingest\"}");
            insert(c, ++seq, "sup-" + seq, null, "09:55:00", "agent",
                "{\"source\":\"agent\"," + ana + ",\"presence\":\"logged_out\",\"by\":\"key:test\",\"role\":\"ingest\"}");
        }
        server.startAgain();
        JsonNode ana = agent(ok(morningAgents()).path("items"), "ana_garcia");
        double loggedIn = (ms("09:55:00") - ms("08:14:25")) / 1000.0;
        assertEquals(loggedIn, ana.path("logged_in_time").asDouble(), ana.toString());
        assertEquals(0.0, ana.path("wrap_up_time").asDouble(), "medical_spanish has no wrap-up");
        assertEquals(900.0, ana.path("not_ready_time").asDouble());
        assertEquals(900.0, ana.path("not_ready_by_reason").path("lunch").asDouble());
        assertEquals(Math.round((241.0 + 60.0) / loggedIn * 1000) / 1000.0, ana.path("occupancy").asDouble());
        // clipped to [from, to): 09:40-09:50 holds 5 minutes of lunch, and was all logged in
        JsonNode clipped = agent(ok("/api/reports/agents?from=" + at("09:40:00") + "&to=" + at("09:50:00"))
            .path("items"), "ana_garcia");
        assertEquals(300.0, clipped.path("not_ready_time").asDouble(), clipped.toString());
        assertEquals(600.0, clipped.path("logged_in_time").asDouble());
        assertEquals(0.0, clipped.path("occupancy").asDouble());
        // logged out from 09:55: nothing logged in after it
        JsonNode after = agent(ok("/api/reports/agents?from=" + at("09:56:00") + "&to=" + at("10:00:00")).path("items"),
            "ana_garcia");
        assertEquals(0.0, after.path("logged_in_time").asDouble(), after.toString());
        assertTrue(after.path("occupancy").isNull());
        HttpResponse<String> csv = get(morningAgents(), TestServer.SUPERVISOR_KEY, "text/csv");
        assertTrue(csv.body().contains(",900.0,lunch=900.0,"), csv.body());
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
