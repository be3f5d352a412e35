package dev.switchboard.console.wire;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON of docs/presence-and-kpis.md (presence, today's figures, reports) as the console reads it. */
class PresenceAndKpisJsonTest {

    @Test
    void anAgentCarriesItsPresenceAndTodaysTimes() {
        AgentStats a = AgentStats.fromJson(Json.parse("""
            { "id": "ana", "queues": ["medical_spanish"], "state": "on_break", "state_since": "2026-12-02T12:00:00Z",
              "current_call_id": null, "offered": 9, "answered": 8, "missed": 1, "consecutive_misses": 0,
              "handled": 8, "talk_time": 5400.0, "hold_time": 300.0, "average_handle_time": 712.5,
              "presence": "not_ready", "reason": "lunch",
              "since": "2026-12-02T12:00:00Z", "logged_in_since": "2026-12-02T08:00:00Z",
              "wrap_up_time": 120.0, "logged_in_time": 14400.0, "not_ready_time": 1800.0,
              "not_ready_by_reason": {"lunch": 1800.0}, "occupancy": 0.62 }"""));

        assertEquals("not_ready", a.presence());
        assertEquals("lunch", a.reason());
        assertEquals(Instant.parse("2026-12-02T12:00:00Z"), a.since());
        assertEquals(Instant.parse("2026-12-02T08:00:00Z"), a.loggedInSince());
        assertEquals(120.0, a.wrapUpTime());
        assertEquals(14400.0, a.loggedInTime());
        assertEquals(1800.0, a.notReadyTime());
        assertEquals(Map.of("lunch", 1800.0), a.notReadyByReason());
        assertEquals(0.62, a.occupancy());
        assertTrue(a.loggedIn());
        assertFalse(a.onCall());
    }

    @Test
    void aLoggedOutAgentBeforeAnyLoggedInTimeHasNoOccupancy() {
        AgentStats a = AgentStats.fromJson(Json.parse("""
            { "id": "bo", "queues": [], "state": "logged_out", "state_since": "2026-12-02T07:00:00Z",
              "presence": "logged_out", "reason": null, "since": "2026-12-02T07:00:00Z", "logged_in_since": null,
              "wrap_up_time": 0.0, "logged_in_time": 0.0, "not_ready_time": 0.0, "not_ready_by_reason": {},
              "occupancy": null }"""));
        assertEquals("logged_out", a.state());
        assertFalse(a.loggedIn());
        assertNull(a.occupancy());
        assertNull(a.loggedInSince());
        assertTrue(a.notReadyByReason().isEmpty());
    }

    @Test
    void aV1AgentWithoutPresenceReadsItFromItsState() {
        assertEquals("not_ready", AgentStats.fromJson(Json.parse("{\"id\": \"a\", \"state\": \"on_break\"}")).presence());
        assertEquals("available", AgentStats.fromJson(Json.parse("{\"id\": \"a\", \"state\": \"on_call\"}")).presence());
        assertNull(AgentStats.fromJson(Json.parse("{\"id\": \"a\", \"state\": \"available\"}")).occupancy());
    }

    @Test
    void aQueueCarriesTodaysHonestFiguresAndItsTarget() {
        QueueStats q = QueueStats.fromJson(Json.parse("""
            { "id": "medical_spanish", "name": "Medical Spanish", "agents": ["ana", "luis"],
              "thresholds": {"sla_max_wait": 30.0, "ring_timeout": 15.0, "max_hold": 60.0, "short_call": 10.0,
                             "wrap_up": 30.0, "short_abandon": 5.0, "sl_target": 0.8},
              "metrics": {"queue_id": "medical_spanish", "waiting_now": 2, "longest_wait": 41.0, "offered": 40,
                          "answered": 33, "answered_within_sla": 27, "service_level": 0.75,
                          "average_speed_of_answer": 14.2, "abandoned": 3, "abandoned_short": 2,
                          "abandon_rate": 0.0833, "sl_target": 0.8, "handled": 30, "average_handle_time": 310.5,
                          "day": "2026-12-02"} }"""));
        TodayFigures t = q.today();
        assertEquals(2, q.waitingNow());
        assertEquals(30.0, q.slaMaxWait());
        assertEquals(40, t.offered());
        assertEquals(27, t.answeredWithinSla());
        assertEquals(0.75, t.serviceLevel());
        assertEquals(0.8, t.slTarget());
        assertTrue(t.belowTarget());
        assertEquals(3, t.abandoned());
        assertEquals(2, t.abandonedShort());
        assertEquals(0.0833, t.abandonRate());
        assertEquals(310.5, t.averageHandleTime());
        assertEquals(LocalDate.of(2026, 12, 2), t.day());
    }

    @Test
    void aQueueWhoseMetricsLackTheTargetTakesItFromItsThresholds() {
        QueueStats q = QueueStats.fromJson(Json.parse("""
            { "id": "q", "thresholds": {"sl_target": 0.9}, "metrics": {"service_level": null, "abandon_rate": null} }"""));
        assertEquals(0.9, q.today().slTarget());
        assertNull(q.today().serviceLevel());
        assertFalse(q.today().belowTarget(), "no service level yet is not below the target");
        assertEquals("q", q.name());
    }

    @Test
    void theCenterReadsFromGetApiCenterAndFromTheMetricsPush() {
        String figures = """
            {"waiting_now": 5, "longest_wait": 63.0, "offered": 120, "answered": 100, "answered_within_sla": 90,
             "service_level": 0.857, "average_speed_of_answer": 12.0, "abandoned": 5, "abandoned_short": 1,
             "abandon_rate": 0.048, "sl_target": 0.8, "handled": 95, "average_handle_time": 290.0, "day": "2026-12-02"}""";
        TodayFigures center = TodayFigures.fromJson(Json.parse(figures));
        assertEquals(120, center.offered());
        assertEquals(0.857, center.serviceLevel());
        assertEquals(0.8, center.slTarget());
        assertFalse(center.belowTarget());
        assertEquals(LocalDate.of(2026, 12, 2), center.day());
        assertEquals(center, TodayFigures.fromJson(Json.parse("{\"metrics\": " + figures + "}")), "shaped like a queue");

        Metrics push = Metrics.fromJson(Json.parse("{\"queues\": [], \"agents\": [], \"center\": " + figures + "}"));
        assertEquals(center, push.center());
        assertNull(Metrics.fromJson(Json.parse("{\"queues\": [], \"agents\": []}")).center(), "a server without it");
    }

    @Test
    void anIntervalReportItemReadsAsTheContractWritesIt() {
        IntervalReportItem i = IntervalReportItem.fromJson(Json.parse("""
            { "start": "2026-12-02T08:00:00Z", "end": "2026-12-02T08:15:00Z", "queue_id": "medical_spanish",
              "offered": 12, "answered": 10, "answered_within_sla": 9, "abandoned": 1, "abandoned_short": 0,
              "service_level": 0.818, "abandon_rate": 0.091, "asa": 14.2, "aht": 310.5, "longest_wait": 41.0 }"""));
        assertEquals(new IntervalReportItem(Instant.parse("2026-12-02T08:00:00Z"), Instant.parse("2026-12-02T08:15:00Z"),
            "medical_spanish", 12, 10, 9, 1, 0, 0.818, 0.091, 14.2, 310.5, 41.0), i);
        assertTrue(i.hasCalls());

        IntervalReportItem empty = IntervalReportItem.fromJson(Json.parse("""
            { "start": "2026-12-02T08:15:00Z", "end": "2026-12-02T08:30:00Z", "queue_id": "medical_spanish",
              "offered": 0, "answered": 0, "answered_within_sla": 0, "abandoned": 0, "abandoned_short": 0,
              "service_level": null, "abandon_rate": null, "asa": null, "aht": null, "longest_wait": 0 }"""));
        assertFalse(empty.hasCalls());
        assertNull(empty.serviceLevel());
        assertNull(empty.asa());
    }

    @Test
    void anAgentReportItemReadsAsTheContractWritesIt() {
        List<AgentReportItem> items = Json.list(Json.parse("""
            {"items": [{"agent_id": "ana", "offered": 9, "answered": 8, "missed": 1, "talk_time": 5400.0,
                        "hold_time": 300.0, "wrap_up_time": 120.0, "logged_in_time": 28800.0, "not_ready_time": 2400.0,
                        "not_ready_by_reason": {"lunch": 1800.0, "training": 600.0}, "occupancy": 0.2}]}""").get("items"),
            AgentReportItem::fromJson);
        assertEquals(1, items.size());
        AgentReportItem a = items.get(0);
        assertEquals("ana", a.agentId());
        assertEquals(8, a.answered());
        assertEquals(120.0, a.wrapUpTime());
        assertEquals(Map.of("lunch", 1800.0, "training", 600.0), a.notReadyByReason());
        assertEquals(0.2, a.occupancy());
    }
}
