package dev.switchboard.console.state;

import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.Metrics;
import dev.switchboard.console.wire.TodayFigures;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Presence as the console shows it between pushes, what a supervisor is offered, and the center's figures. */
class PresenceTest {

    private final CenterState state = new CenterState();

    private static AgentStats agent(String state, String presence, String reason, String callId) {
        return AgentStats.fromJson(Json.parse("""
            {"id": "ana", "queues": ["medical_spanish"], "state": "%s", "state_since": "%s", "current_call_id": %s,
             "offered": 4, "answered": 3, "missed": 1, "consecutive_misses": 1, "presence": "%s", "reason": %s,
             "since": "%s", "logged_in_since": %s, "wrap_up_time": 30.0, "logged_in_time": 3600.0,
             "not_ready_time": 600.0, "not_ready_by_reason": {"lunch": 600.0}, "occupancy": 0.4}"""
            .formatted(state, Calls.T0, callId == null ? "null" : "\"" + callId + "\"", presence,
                reason == null ? "null" : "\"" + reason + "\"", Calls.T0,
                "logged_out".equals(presence) ? "null" : "\"" + Calls.T0.minusSeconds(3600) + "\"")));
    }

    private static CallEvent presenceEntry(long seq, String agentId, String presence, String reason) {
        var metadata = Json.object().put("source", "supervisor").put("agent_id", agentId).put("presence", presence)
            .put("by", "key:1a2b3c4d").put("role", "supervisor");
        metadata.put("reason", reason);
        return new CallEvent("sup-" + seq, null, "agent_presence", Calls.T0.plusSeconds(seq), metadata, seq);
    }

    @Test
    void notReadyWithAReasonPutsAnIdleAgentOnBreakAtOnce() {
        AgentStats ana = agent("available", "available", null, null).withPresence("not_ready", "lunch", Calls.T0.plusSeconds(60));
        assertEquals("not_ready", ana.presence());
        assertEquals("lunch", ana.reason());
        assertEquals("on_break", ana.state());
        assertEquals(Calls.T0.plusSeconds(60), ana.since());
        assertEquals(Calls.T0.plusSeconds(60), ana.stateSince());
        assertEquals(600.0, ana.notReadyTime(), "today's totals stay the server's");
    }

    @Test
    void aPresenceChangeDuringACallKeepsTheCallsState() {
        AgentStats ana = agent("on_call", "available", null, "c1").withPresence("logged_out", null, Calls.T0.plusSeconds(60));
        assertEquals("logged_out", ana.presence());
        assertEquals("on_call", ana.state(), "the agent still shows the call until it ends");
        assertEquals(Calls.T0, ana.stateSince());
        assertNull(ana.loggedInSince());
        assertFalse(ana.loggedIn());
    }

    @Test
    void loggingBackInStartsTheLoggedInClockAndAvailableClearsTheMisses() {
        Instant at = Calls.T0.plusSeconds(120);
        AgentStats ana = agent("logged_out", "logged_out", null, null).withPresence("available", null, at);
        assertEquals("available", ana.state());
        assertEquals(at, ana.loggedInSince());
        assertEquals(0, ana.consecutiveMisses());
        assertNull(ana.reason());
    }

    @Test
    void theSamePresenceAndReasonChangesNothingButANewReasonDoes() {
        AgentStats lunch = agent("on_break", "not_ready", "lunch", null);
        assertSame(lunch, lunch.withPresence("not_ready", "lunch", Calls.T0.plusSeconds(5)));
        AgentStats training = lunch.withPresence("not_ready", "training", Calls.T0.plusSeconds(5));
        assertEquals("training", training.reason());
        assertEquals(Calls.T0.plusSeconds(5), training.since());
        assertEquals(Calls.T0, training.stateSince(), "still on break: the state's since-time stays");
    }

    @Test
    void anAgentPresencePushAppliesAtOnceAndTakesItsPlaceInTheSeqOrder() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(agent("available", "available", null, null)));

        assertTrue(state.applyAgentEvent(20, presenceEntry(20, "ana", "not_ready", "training")));

        AgentStats ana = state.metrics().agent("ana");
        assertEquals("not_ready", ana.presence());
        assertEquals("training", ana.reason());
        assertEquals("on_break", ana.state());
        assertEquals(20, state.resumeAfter());
        assertFalse(state.applyAgentEvent(20, presenceEntry(20, "ana", "available", null)), "a replay is dropped");
        assertEquals("not_ready", state.metrics().agent("ana").presence());
    }

    @Test
    void theSystemsWrapUpEntryShowsTheAgentInWrapUp() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(agent("available", "available", null, null)));
        var wrap = Json.object().put("source", "system").put("agent_id", "ana").put("presence", "wrap_up")
            .put("until", Calls.T0.plusSeconds(90).toString());
        state.applyAgentEvent(30, new CallEvent("sys-30", null, "agent_presence", Calls.T0.plusSeconds(60), wrap, 30));
        assertEquals("wrap_up", state.metrics().agent("ana").state());
        assertEquals("Wrap-up", Format.presence("wrap_up", null));
    }

    @Test
    void theServersReplyToAPresenceChangeReplacesTheAgentOrAddsANewOne() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(agent("available", "available", null, null)));
        AgentStats reply = agent("on_break", "not_ready", "lunch", null);
        state.applyAgentReply(reply);
        assertEquals(List.of(reply), state.metrics().agents());

        AgentStats newcomer = AgentStats.fromJson(Json.parse("{\"id\": \"agent_55\", \"state\": \"logged_out\", \"presence\": \"logged_out\"}"));
        state.applyAgentReply(newcomer);
        assertEquals(2, state.metrics().agents().size());
        assertTrue(state.calls().agentOptions().contains("agent_55"), "the agent filter learns it");
    }

    @Test
    void aSupervisorIsOfferedOnlyWhatWouldChangeSomething() {
        AgentStats available = agent("available", "available", null, null);
        AgentStats lunch = agent("on_break", "not_ready", "lunch", null);
        AgentStats out = agent("logged_out", "logged_out", null, null);
        AgentStats wrapping = agent("wrap_up", "wrap_up", null, null);

        assertFalse(PresenceAction.AVAILABLE.offeredFor(available));
        assertTrue(PresenceAction.AVAILABLE.offeredFor(lunch));
        assertTrue(PresenceAction.AVAILABLE.offeredFor(out));
        assertTrue(PresenceAction.AVAILABLE.offeredFor(wrapping), "a supervisor may end a wrap-up early");
        assertTrue(PresenceAction.NOT_READY.offeredFor(lunch), "a new reason");
        assertFalse(PresenceAction.LOG_OUT.offeredFor(out));
        assertTrue(PresenceAction.LOG_OUT.offeredFor(lunch));
        for (PresenceAction a : PresenceAction.values()) {
            assertFalse(a.offeredFor(null), "nothing without a selected agent");
        }
        assertEquals("not_ready", PresenceAction.NOT_READY.wire());
        assertEquals("logged_out", PresenceAction.LOG_OUT.wire());
    }

    @Test
    void aReasonIsCheckedAsTheContractSaysBeforeItIsSent() {
        assertNull(PresenceAction.reasonProblem("lunch"));
        assertNull(PresenceAction.reasonProblem("team meeting-2_b"));
        assertNull(PresenceAction.reasonProblem("x".repeat(64)));
        assertNotNull(PresenceAction.reasonProblem(""));
        assertNotNull(PresenceAction.reasonProblem("   "));
        assertNotNull(PresenceAction.reasonProblem("x".repeat(65)));
        assertNotNull(PresenceAction.reasonProblem("lunch!"));
        assertNotNull(PresenceAction.reasonProblem("a/b"));
    }

    @Test
    void presenceAndReasonsReadAsASupervisorSaysThem() {
        assertEquals("Not ready · lunch", Format.presence("not_ready", "lunch"));
        assertEquals("Not ready · missed calls", Format.presence("not_ready", "missed_calls"));
        assertEquals("Not ready", Format.presence("not_ready", "not_ready"));
        assertEquals("Logged out", Format.presence("logged_out", null));
        assertEquals("Available", Format.presence("available", null));
        assertEquals("lunch 30:00 · training 10:00", Format.reasons(java.util.Map.of("training", 600.0, "lunch", 1800.0)));
        assertEquals("75% / 80%", Format.againstTarget(0.75, 0.8));
        assertEquals("–", Format.againstTarget(null, null));
    }

    @Test
    void theCentersFiguresComeFromTheSnapshotAndThenFromEachPushThatCarriesThem() {
        assertSame(TodayFigures.NONE, state.metrics().centerProperty().get());
        TodayFigures morning = TodayFigures.fromJson(Json.parse("{\"offered\": 10, \"answered\": 8, \"answered_within_sla\": 6,"
            + " \"service_level\": 0.667, \"abandoned\": 1, \"abandon_rate\": 0.111, \"sl_target\": 0.8, \"day\": \"2026-12-02\"}"));
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(), morning);
        assertEquals(morning, state.metrics().centerProperty().get());
        assertTrue(state.metrics().centerProperty().get().belowTarget());

        state.applyMetrics(new Metrics(List.of(), List.of(), null));
        assertEquals(morning, state.metrics().centerProperty().get(), "a push without a center keeps the last one");
        TodayFigures later = TodayFigures.fromJson(Json.parse("{\"offered\": 11, \"service_level\": 0.9, \"sl_target\": 0.8}"));
        state.applyMetrics(new Metrics(List.of(), List.of(), later));
        assertEquals(later, state.metrics().centerProperty().get());
        assertFalse(later.belowTarget());
    }
}
