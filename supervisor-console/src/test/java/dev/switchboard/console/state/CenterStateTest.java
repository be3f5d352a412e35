package dev.switchboard.console.state;

import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.Call;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.console.state.Calls.active;
import static dev.switchboard.console.state.Calls.alert;
import static dev.switchboard.console.state.Calls.event;
import static dev.switchboard.console.state.Calls.ringing;
import static dev.switchboard.console.state.Calls.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one place pushes are applied: dedupe by seq, upsert by call id, alerts by id, resume points. */
class CenterStateTest {

    private final CenterState state = new CenterState();

    @Test
    void aCallEventAddsTheCallAndLaterEventsUpdateTheSameRow() {
        state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "medical_spanish"));
        CallRow row = state.calls().row("c1");

        state.applyCallEvent(2, event(2, "c1", "call_routed"), ringing("c1", "medical_spanish", "ana"));
        state.applyCallEvent(3, event(3, "c1", "call_answered"), active("c1", "medical_spanish", "ana"));

        assertEquals(1, state.calls().rows().size());
        assertSame(row, state.calls().row("c1"), "updated in place, not replaced");
        assertEquals("active", row.call().status());
        assertEquals(3, state.lastSeq());
        assertEquals(1, state.calls().activeProperty().get());
        assertEquals(0, state.calls().waitingProperty().get());
    }

    @Test
    void aReplayedPushIsDroppedBySeqAndDoesNotRollTheCallBack() {
        state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "q"));
        state.applyCallEvent(2, event(2, "c1", "call_answered"), active("c1", "q", "ana"));

        boolean applied = state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "q"));

        assertFalse(applied);
        assertEquals("active", state.calls().call("c1").status());
        assertEquals(1, state.duplicatesDropped());
        assertEquals(1, state.calls().rows().size());
    }

    @Test
    void aSnapshotNeverOverwritesACallThatAPushAlreadyUpdated() {
        state.applySubscribed(10);
        state.applyCallEvent(11, event(11, "c1", "call_answered"), active("c1", "q", "ana"));

        state.applySnapshot(List.of(waiting("c1", "q"), waiting("c2", "q")), List.of(), List.of(), List.of());

        assertEquals("active", state.calls().call("c1").status(), "the push is newer than the snapshot");
        assertEquals("waiting", state.calls().call("c2").status(), "calls only the snapshot knows are added");
    }

    @Test
    void aResumeStartsAfterTheLastAppliedSeq() {
        state.applySubscribed(40);
        assertEquals(40, state.resumeAfter());
        state.applyCallEvent(41, event(41, "c1", "call_initiated"), waiting("c1", "q"));
        state.applyCallEvent(42, event(42, "c1", "call_routed"), ringing("c1", "q", "ana"));
        assertEquals(42, state.resumeAfter());
    }

    @Test
    void aResumeStartsOneEarlierWhileAnAlertRaisedEntryAwaitsItsAlert() {
        state.applyCallEvent(7, event(7, "c1", "call_initiated"), waiting("c1", "q"));
        state.applyCallEvent(8, event(8, "c1", "alert_raised"), Calls.flagged(waiting("c1", "q"), "sla_breach"));
        assertEquals(7, state.resumeAfter(), "the link may have dropped between call_event 8 and alert 8");

        state.applyAlert(alert(8, "a1", "c1"));
        assertEquals(8, state.resumeAfter());
    }

    @Test
    void theReplayOfAResumeAppliesOnlyWhatWasMissed() {
        state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "q"));
        state.applyCallEvent(2, event(2, "c2", "call_initiated"), waiting("c2", "q"));
        long resumeFrom = state.resumeAfter();
        // the push of seq 2 raced the drop and comes again, then what was missed: 3 and 4
        for (long seq = resumeFrom; seq <= 4; seq++) {
            state.applyCallEvent(seq, event(seq, "c" + seq, "call_initiated"), waiting("c" + seq, "q"));
        }
        assertEquals(4, state.calls().rows().size());
        assertEquals(4, state.lastSeq());
        assertEquals(1, state.duplicatesDropped());
    }

    @Test
    void aNewAlertIsAnnouncedOnceAndAnAcknowledgedOneNeverComesBack() {
        List<Alert> announced = new ArrayList<>();
        state.onNewAlert(announced::add);
        Alert a = alert(5, "a1", "c1");

        state.applyAlert(a);
        state.applySnapshot(List.of(), List.of(a), List.of(), List.of());   // the REST load raced the push
        state.applyAlert(a);
        assertEquals(1, announced.size());
        assertEquals(1, state.alerts().open().size());

        Alert acked = new Alert(5, "a1", "sla_breach", "c1", "medical_spanish", null, a.at(), a.message(), Instant.now());
        state.applyAlertAcked(acked);
        state.applyAlert(a);
        assertTrue(state.alerts().open().isEmpty());
        assertEquals(1, announced.size());
    }

    @Test
    void ackTargetIsTheSelectedAlertElseTheNewest() {
        state.applyAlert(alert(5, "a1", "c1"));
        state.applyAlert(alert(9, "a2", "c2"));
        assertEquals("a2", state.alerts().ackTarget().id(), "newest first");
        assertEquals(List.of("a2", "a1"), state.alerts().open().stream().map(Alert::id).toList());

        state.alerts().selectedProperty().set(state.alerts().find("a1"));
        assertEquals("a1", state.alerts().ackTarget().id());
    }

    @Test
    void theHistoryMergesTheRestLoadAndLivePushesInSeqOrderEachOnce() {
        state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "q"));
        state.select("c1");
        assertTrue(state.history().loadingProperty().get());
        // live pushes arrive before the REST history does
        state.applyCallEvent(3, event(3, "c1", "call_answered"), active("c1", "q", "ana"));
        state.applyCallEvent(4, event(4, "c2", "call_initiated"), waiting("c2", "q"));

        state.historyLoaded("c1", List.of(event(1, "c1", "call_initiated"), event(2, "c1", "call_routed"),
            event(3, "c1", "call_answered")));

        assertEquals(List.of(1L, 2L, 3L), state.history().entries().stream().map(e -> e.seq()).toList());
        assertFalse(state.history().loadingProperty().get());
        assertEquals("active", state.history().callProperty().get().status());
    }

    @Test
    void aHistoryArrivingAfterTheSelectionMovedOnIsIgnored() {
        state.select("c1");
        state.select("c2");
        state.historyLoaded("c1", List.of(event(1, "c1", "call_initiated")));
        assertTrue(state.history().entries().isEmpty());
        assertEquals("c2", state.history().callIdProperty().get());
    }

    @Test
    void aResumeThatEndsBeforeTheConsolesSeqIsFlaggedAndAResetStartsOver() {
        state.applyCallEvent(50, event(50, "c1", "call_initiated"), waiting("c1", "q"));
        state.applyAlert(alert(50, "a1", "c1"));

        assertFalse(state.applyResumed(50, 60), "a normal resume");
        assertTrue(state.applyResumed(50, 0), "a restarted server, or a new database: the console asks the server");
        assertEquals(1, state.calls().rows().size(), "nothing is dropped before that is known");

        state.reset(3);
        assertTrue(state.calls().rows().isEmpty());
        assertTrue(state.alerts().open().isEmpty());
        assertEquals(3, state.lastSeq());
        assertTrue(state.applyCallEvent(4, event(4, "c9", "call_initiated"), waiting("c9", "q")));
    }

    @Test
    void metricsFeedTheTablesTheChartAndTheFilterOptions() {
        var queue = dev.switchboard.console.wire.QueueStats.fromJson(dev.switchboard.console.wire.Json.parse("""
            {"id": "medical_spanish", "name": "Medical Spanish", "agents": ["ana"], "thresholds": {"sla_max_wait": 30.0},
             "metrics": {"waiting_now": 2, "longest_wait": 12.5, "offered": 10, "answered": 8, "service_level": 0.75,
                         "average_speed_of_answer": 9.0, "abandoned": 1}}"""));
        var agent = Calls.agent("ana", "on_call", "c1", 0);
        state.applyMetrics(new dev.switchboard.console.wire.Metrics(List.of(queue), List.of(agent), null));
        state.applyMetrics(new dev.switchboard.console.wire.Metrics(List.of(queue), List.of(agent), null));

        assertEquals(List.of(queue), state.metrics().queues());
        assertEquals(List.of(agent), state.metrics().agents());
        assertEquals(1, state.metrics().waitingSeries().size());
        assertEquals(2, state.metrics().waitingSeries().get(0).getData().size());
        assertEquals(List.of("medical_spanish"), state.calls().queueOptions());
        assertEquals(List.of("ana"), state.calls().agentOptions());
    }

    @Test
    void anActionReplyAddsANewCallButNeverOverridesPushes() {
        state.applyCallEvent(1, event(1, "c1", "call_answered"), active("c1", "q", "ana"));
        state.applyActionReply(waiting("c1", "q"));
        state.applyActionReply(waiting("sim-1", "q"));
        assertEquals("active", state.calls().call("c1").status());
        Call added = state.calls().call("sim-1");
        assertNull(added.agentId());
        assertEquals("waiting", added.status());
    }

    // --- supervisor actions in the ordered log ------------------------------------------------

    private static dev.switchboard.console.wire.AgentStats onBreak(String id, String callId) {
        return Calls.agent(id, "on_break", callId, 3);
    }

    private static dev.switchboard.console.wire.CallEvent agentAvailable(long seq, String agentId) {
        var metadata = dev.switchboard.console.wire.Json.object().put("source", "supervisor").put("agent_id", agentId)
            .put("by", "key:1a2b3c4d").put("role", "supervisor");
        return new dev.switchboard.console.wire.CallEvent("sup-" + seq, null, "agent_available",
            Calls.T0.plusSeconds(seq), metadata, seq);
    }

    private static dev.switchboard.console.wire.CallEvent ackEntry(long seq, Alert a) {
        var metadata = dev.switchboard.console.wire.Json.object().put("source", "supervisor").put("alert_id", a.id())
            .put("kind", a.kind()).put("by", "key:1a2b3c4d").put("role", "supervisor");
        return new dev.switchboard.console.wire.CallEvent("sup-" + seq, a.callId(), "alert_acked",
            Calls.T0.plusSeconds(seq), metadata, seq);
    }

    private static Alert ackPush(long ackSeq, Alert a) {
        return new Alert(a.seq(), a.id(), a.kind(), a.callId(), a.queueId(), a.agentId(), a.at(), a.message(),
            Calls.T0.plusSeconds(ackSeq), "key:1a2b3c4d", ackSeq);
    }

    @Test
    void agentAvailableAppliesAtOnceAndTakesItsPlaceInTheSeqOrder() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(onBreak("ana", null)));

        assertTrue(state.applyAgentEvent(12, agentAvailable(12, "ana")));

        var ana = state.metrics().agents().get(0);
        assertEquals("available", ana.state());
        assertEquals(Calls.T0.plusSeconds(12), ana.stateSince());
        assertEquals(0, ana.consecutiveMisses());
        assertEquals(3, ana.missed(), "the totals are the server's, untouched");
        assertEquals(12, state.lastSeq());
        assertEquals(12, state.resumeAfter());
    }

    @Test
    void aReplayedAgentEventIsDroppedBySeq() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(onBreak("ana", null)));
        state.applyAgentEvent(12, agentAvailable(12, "ana"));
        state.applyCallEvent(13, event(13, "c1", "call_routed"), ringing("c1", "medical_spanish", "ana"));
        state.applyMetrics(new dev.switchboard.console.wire.Metrics(List.of(), List.of(onBreak("ana", "c1")), null));

        assertFalse(state.applyAgentEvent(12, agentAvailable(12, "ana")));
        assertEquals("on_break", state.metrics().agents().get(0).state(), "the replay did not undo the newer state");
        assertEquals(13, state.lastSeq());
        assertEquals(1, state.duplicatesDropped());
    }

    @Test
    void anAgentEventOfAnotherTypeOrAboutAnUnknownAgentOnlyAdvancesTheSeq() {
        state.applySnapshot(List.of(), List.of(), List.of(), List.of(onBreak("ana", null)));
        var other = agentAvailable(3, "ana");
        assertTrue(state.applyAgentEvent(3, new dev.switchboard.console.wire.CallEvent(other.id(), null, "agent_renamed",
            other.timestamp(), other.metadata(), 3)));
        assertTrue(state.applyAgentEvent(4, agentAvailable(4, "bob")));
        assertEquals("on_break", state.metrics().agents().get(0).state());
        assertEquals(1, state.metrics().agents().size());
        assertEquals(4, state.lastSeq());
        assertTrue(state.applyCallEvent(5, event(5, "c1", "call_initiated"), waiting("c1", "q")));
    }

    @Test
    void anAgentSetAvailableShowsWhatTheServerShows() {
        var ringingOnBreak = onBreak("ana", "c1").madeAvailable(Calls.T0.plusSeconds(60));
        assertEquals("ringing", ringingOnBreak.state());
        assertEquals(Calls.T0.plusSeconds(60), ringingOnBreak.stateSince());
        var talking = Calls.agent("ana", "on_call", "c1", 2).madeAvailable(Calls.T0.plusSeconds(60));
        assertEquals("on_call", talking.state());
        assertEquals(Calls.T0, talking.stateSince(), "the state did not change, nor its since-time");
        assertEquals(0, talking.consecutiveMisses());
    }

    @Test
    void anAcknowledgementKeepsWhoAndItsEntryIsResumedUntilItsAlertAckedArrives() {
        Alert a = alert(4, "a1", "c1");
        state.applyCallEvent(4, event(4, "c1", "alert_raised"), waiting("c1", "medical_spanish"));
        state.applyAlert(a);
        state.applyCallEvent(9, ackEntry(9, a), waiting("c1", "medical_spanish"));
        assertEquals(8, state.resumeAfter(), "its alert_acked may still be on the way");

        assertTrue(state.applyAlertAckedPush(ackPush(9, a)));

        assertEquals(9, state.resumeAfter());
        assertTrue(state.alerts().open().isEmpty());
        Alert shown = state.alerts().closed().get(0);
        assertEquals("key:1a2b3c4d", shown.ackedBy());
        assertEquals(4, shown.seq(), "the alert keeps the seq it was raised at");
        assertEquals("key:1a2b3c4d", state.alerts().find("a1").ackedBy());
        assertEquals("acknowledged by key:1a2b3c4d at " + Format.time(Calls.T0.plusSeconds(9)), Format.closed(shown));

        // replayed after a reconnect: both dropped
        assertFalse(state.applyCallEvent(9, ackEntry(9, a), waiting("c1", "medical_spanish")));
        assertFalse(state.applyAlertAckedPush(ackPush(9, a)));
        assertEquals(1, state.alerts().closed().size());
    }

    @Test
    void ourOwnAckReplyTakesNoPlaceAndTheAlertAckedAloneAdvancesTheSeq() {
        Alert a = alert(4, "a1", "c1");
        state.applySubscribed(4);
        state.applyAlert(a);
        // the REST reply first: it has acked_by but no ack_seq
        state.applyAlertAcked(new Alert(4, "a1", "sla_breach", "c1", "medical_spanish", null, a.at(), a.message(),
            Calls.T0.plusSeconds(9), "key:1a2b3c4d", 0));
        assertEquals(4, state.lastSeq());
        // the call is gone (retention): the alert_acked comes without its call_event
        assertTrue(state.applyAlertAckedPush(ackPush(9, a)));
        assertEquals(9, state.lastSeq());
        assertEquals(9, state.resumeAfter());
        assertEquals(1, state.alerts().closed().size());
    }

    @Test
    void acknowledgedAlertsFromRestComeWithWhoAndAnOpenCopyDoesNotReopenThem() {
        Alert a = alert(4, "a1", "c1");
        Alert ackedRow = new Alert(4, "a1", "sla_breach", "c1", "medical_spanish", null, a.at(), a.message(),
            Calls.T0.plusSeconds(9), "key:1a2b3c4d", 0);
        state.applySnapshot(List.of(), List.of(ackedRow, a, alert(6, "a2", "c2")), List.of(), List.of());
        assertEquals(List.of("a2"), state.alerts().open().stream().map(Alert::id).toList());
        assertEquals("key:1a2b3c4d", state.alerts().closed().get(0).ackedBy());
    }

    @Test
    void historyEntriesOfAnAcknowledgementAndAnExpiryReadAsASentence() {
        Alert a = alert(4, "a1", "c1");
        assertEquals("Alert sla_breach acknowledged by key:1a2b3c4d", Format.entry(ackEntry(9, a), null));
        var answered = new dev.switchboard.console.wire.CallEvent("e3", "c1", "call_answered", Calls.T0,
            dev.switchboard.console.wire.Json.object().put("source", "external"), 3);
        var expired = new dev.switchboard.console.wire.CallEvent("e4", "c1", "call_ended", Calls.T0.plusSeconds(4 * 3600),
            dev.switchboard.console.wire.Json.object().put("source", "system").put("end_reason", "expired"), 4);
        assertEquals("Ended by the system: no event for 4 h", Format.entry(expired, answered));
        assertEquals("Ended by the system: no event for too long", Format.entry(expired, null));
        assertNull(Format.entry(answered, null));
        assertNull(Format.entry(new dev.switchboard.console.wire.CallEvent("e5", "c1", "call_ended", Calls.T0,
            dev.switchboard.console.wire.Json.object().put("source", "external").put("end_reason", "completed"), 5), answered));
    }
}
