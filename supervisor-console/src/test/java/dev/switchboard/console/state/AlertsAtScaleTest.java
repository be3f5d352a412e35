package dev.switchboard.console.state;

import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertResolution;
import dev.switchboard.console.wire.AlertsAcked;
import dev.switchboard.console.wire.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.switchboard.console.state.Calls.T0;
import static dev.switchboard.console.state.Calls.active;
import static dev.switchboard.console.state.Calls.alert;
import static dev.switchboard.console.state.Calls.event;
import static dev.switchboard.console.state.Calls.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alerts at scale in the console (issue 15): an alert that resolved itself leaves the open list
 * ({@code alert_resolved}, placed in the seq order like {@code alert_acked}), "Ack all" names the
 * open alerts by id in one request, and a note goes with an acknowledgement.
 */
class AlertsAtScaleTest {

    private final CenterState state = new CenterState();

    private static AlertResolution resolution(long seq, Alert a, String how) {
        return new AlertResolution(seq, a.id(), a.kind(), a.callId(), a.queueId(), T0.plusSeconds(seq), how);
    }

    /** The alert_raised entry at {@code seq} and its alert: an open SLA breach on {@code callId}. */
    private Alert raised(long seq, String callId) {
        state.applyCallEvent(seq, event(seq, callId, "alert_raised"), Calls.flagged(waiting(callId, "medical_spanish"), "sla_breach"));
        Alert a = alert(seq, callId + ":sla_breach", callId);
        state.applyAlert(a);
        return a;
    }

    @Test
    void anAlertResolvedPushTakesTheAlertOutOfTheOpenListAndShowsItResolved() {
        Alert a = raised(4, "c1");
        state.applyCallEvent(9, event(9, "c1", "call_answered"), active("c1", "medical_spanish", "ana"));
        state.applyCallEvent(10, event(10, "c1", "alert_resolved"), active("c1", "medical_spanish", "ana"));

        assertTrue(state.applyAlertResolved(resolution(10, a, "answered")));

        assertTrue(state.alerts().open().isEmpty());
        Alert closed = state.alerts().closed().get(0);
        assertEquals(a.id(), closed.id());
        assertEquals(T0.plusSeconds(10), closed.resolvedAt());
        assertEquals("answered", closed.resolution());
        assertNull(closed.ackedAt(), "resolved, not acknowledged");
        assertEquals("resolved at " + Format.time(T0.plusSeconds(10)) + ": call answered", Format.closed(closed));
        assertEquals(10, state.resumeAfter());
    }

    @Test
    void aResumeStartsOneEarlierWhileAnAlertResolvedEntryAwaitsItsPushAndAReplayIsDropped() {
        Alert a = raised(4, "c1");
        state.applyCallEvent(10, event(10, "c1", "alert_resolved"), active("c1", "medical_spanish", "ana"));
        assertEquals(9, state.resumeAfter(), "the link may drop between call_event 10 and alert_resolved 10");

        // the resume replays entry 10: its call_event is a duplicate, its alert_resolved is not
        assertFalse(state.applyCallEvent(10, event(10, "c1", "alert_resolved"), active("c1", "medical_spanish", "ana")));
        assertTrue(state.applyAlertResolved(resolution(10, a, "answered")));
        assertEquals(10, state.resumeAfter());

        assertFalse(state.applyAlertResolved(resolution(10, a, "answered")), "a second replay is dropped");
        assertEquals(1, state.alerts().closed().size(), "listed once");
    }

    @Test
    void aResolutionOfAnAlertNeverLoadedChangesNothingButTakesItsPlace() {
        assertTrue(state.applyAlertResolved(new AlertResolution(30, "old:sla_breach", "sla_breach", "old", "q", T0, "ended")));
        assertTrue(state.alerts().open().isEmpty());
        assertTrue(state.alerts().closed().isEmpty());
        assertEquals(30, state.lastSeq());
    }

    @Test
    void aResolvedAlertAcknowledgedLaterShowsBothAndAResolvedOneFromRestIsNotOpen() {
        Alert a = raised(4, "c1");
        state.applyAlertResolved(resolution(5, a, "ended"));
        Alert ack = new Alert(a.seq(), a.id(), a.kind(), a.callId(), a.queueId(), null, a.at(), a.message(),
            T0.plusSeconds(60), "maria.lopez", 0, "called back", null, null);
        state.applyAlertAcked(ack);

        Alert shown = state.alerts().closed().get(0);
        assertEquals(T0.plusSeconds(5), shown.resolvedAt(), "the acknowledgement keeps the resolution");
        assertTrue(Format.closed(shown).endsWith("acknowledged by maria.lopez at " + Format.time(T0.plusSeconds(60)) + " — “called back”"),
            Format.closed(shown));

        Alert ackedFirst = alert(20, "c9:sla_breach", "c9").updatedBy(ack).resolvedAs(new AlertResolution(21, "c9:sla_breach", "sla_breach",
            "c9", null, T0.plusSeconds(90), "ended"));
        assertTrue(Format.closed(ackedFirst).startsWith("acknowledged by maria.lopez"), "in the order they happened: " + Format.closed(ackedFirst));
        assertTrue(Format.closed(ackedFirst).endsWith("; resolved at " + Format.time(T0.plusSeconds(90)) + ": call ended"));

        // GET /api/alerts lists a resolved alert with resolved_at: it is not open
        Alert fromRest = Alert.fromJson(Json.parse("""
            {"seq": 7, "id": "c2:hold_exceeded", "kind": "hold_exceeded", "call_id": "c2", "queue_id": "legal_french",
             "agent_id": "chloe", "at": "2026-11-24T10:00:07Z", "message": "On hold too long", "acked_at": null,
             "acked_by": null, "note": null, "resolved_at": "2026-11-24T10:01:00Z", "resolution": "resumed"}"""));
        state.applySnapshot(List.of(), List.of(fromRest), List.of(), List.of());
        assertFalse(fromRest.isOpen());
        assertTrue(state.alerts().open().isEmpty());
        assertEquals("c2:hold_exceeded", state.alerts().closed().get(0).id(), "most recently closed first");
    }

    @Test
    void ackAllNamesTheOpenAlertsOldestFirstAndAtMostWhatTheServerTakes() {
        Alert a1 = raised(4, "c1");
        Alert a2 = raised(8, "c2");
        Alert a3 = raised(12, "c3");
        assertEquals(List.of(a1.id(), a2.id(), a3.id()), state.alerts().bulkIds());

        for (int i = 0; i < AlertsViewModel.MAX_BULK + 5; i++) {
            state.applyAlert(alert(100 + i, "x" + i, "x" + i));
        }
        List<String> ids = state.alerts().bulkIds();
        assertEquals(AlertsViewModel.MAX_BULK, ids.size());
        assertEquals(a1.id(), ids.get(0), "the oldest first");
    }

    @Test
    void theBulkReplyClosesEachAlertItNamesWithWhoAndTheNote() {
        Alert a1 = raised(4, "c1");
        Alert a2 = raised(8, "c2");
        Alert other = raised(12, "c3");
        AlertsAcked reply = AlertsAcked.fromJson(Json.parse("""
            {"acknowledged": 2, "alerts": [
              {"seq": 4, "id": "%s", "kind": "sla_breach", "call_id": "c1", "acked_at": "2026-11-24T10:05:00Z",
               "acked_by": "maria.lopez", "note": "end of shift", "resolved_at": null},
              {"seq": 8, "id": "%s", "kind": "sla_breach", "call_id": "c2", "acked_at": "2026-11-24T10:05:00Z",
               "acked_by": "maria.lopez", "note": "end of shift", "resolved_at": null}]}""".formatted(a1.id(), a2.id())));
        assertNull(reply.remaining(), "an ids selection is not counted");

        state.applyAlertsAcked(reply.alerts());

        assertEquals(List.of(other.id()), state.alerts().open().stream().map(Alert::id).toList());
        assertTrue(state.alerts().closed().stream().filter(x -> !x.id().equals(other.id()))
            .allMatch(x -> "maria.lopez".equals(x.ackedBy()) && "end of shift".equals(x.note())));
        assertEquals("c1", state.alerts().find(a1.id()).callId(), "what the reply leaves out is kept");
    }

    @Test
    void theNoteIsTrimmedNoneWhenBlankAndRefusedOverFiveHundredCharacters() {
        AlertsViewModel alerts = state.alerts();
        alerts.noteProperty().set("  called the patients back ");
        assertEquals(new AlertsViewModel.TypedNote("called the patients back", null), alerts.typedNote());
        alerts.noteProperty().set("   ");
        assertEquals(new AlertsViewModel.TypedNote(null, null), alerts.typedNote());
        alerts.noteProperty().set("é".repeat(AlertsViewModel.MAX_NOTE));
        assertNull(alerts.typedNote().problem(), "characters, not bytes");
        alerts.noteProperty().set("x".repeat(AlertsViewModel.MAX_NOTE + 1));
        assertEquals("The note is longer than 500 characters", alerts.typedNote().problem());
    }

    @Test
    void closedAtIsTheLaterOfTheAcknowledgementAndTheResolution() {
        Alert a = alert(4, "a", "c1");
        Instant t1 = T0.plusSeconds(10);
        Instant t2 = T0.plusSeconds(20);
        assertNull(a.closedAt());
        assertEquals(t2, a.resolvedAs(new AlertResolution(9, "a", "sla_breach", "c1", null, t2, "ended"))
            .updatedBy(new Alert(4, "a", "sla_breach", "c1", null, null, a.at(), a.message(), t1)).closedAt());
    }
}
