package dev.switchboard.core.call;

import dev.switchboard.core.call.CallStateMachine.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallStateMachineTest {

    private static final long T = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();

    /** A call in each phase, reached through legal transitions. */
    static Call inPhase(Phase phase) {
        Call c = Call.initiated("c1", CallType.VIDEO, "q", T);
        if (phase == Phase.QUEUED) return c;
        c = ok(c, new CallEvent.CallRouted(null, "c1", null, "ana", null), T + 1000);
        if (phase == Phase.RINGING) return c;
        c = ok(c, new CallEvent.CallAnswered(null, "c1", null, null), T + 2000);
        if (phase == Phase.ACTIVE) return c;
        c = ok(c, new CallEvent.CallHold(null, "c1", null, null), T + 3000);
        if (phase == Phase.ON_HOLD) return c;
        return ok(c, new CallEvent.CallEnded(null, "c1", null, "completed", null), T + 4000);
    }

    static Call ok(Call c, CallEvent e, long at) {
        return ((Transition.Accepted) CallStateMachine.apply(c, e, at, q -> true)).call();
    }

    static CallEvent sample(EventType type) {
        return switch (type) {
            case CALL_INITIATED -> new CallEvent.CallInitiated(null, "c1", null, CallType.VOICE, "q");
            case CALL_ROUTED -> new CallEvent.CallRouted(null, "c1", null, "bea", null);
            case CALL_RETRANSFER -> new CallEvent.CallRetransfer(null, "c1", null, null);
            case CALL_ANSWERED -> new CallEvent.CallAnswered(null, "c1", null, null);
            case CALL_HOLD -> new CallEvent.CallHold(null, "c1", null, null);
            case CALL_RESUMED -> new CallEvent.CallResumed(null, "c1", null);
            case CALL_TRANSFERRED -> new CallEvent.CallTransferred(null, "c1", null, "q2", null);
            case CALL_ENDED -> new CallEvent.CallEnded(null, "c1", null, "completed", null);
        };
    }

    static final List<Object[]> LEGAL = List.of(
        new Object[]{Phase.QUEUED, EventType.CALL_ROUTED, Phase.RINGING},
        new Object[]{Phase.RINGING, EventType.CALL_RETRANSFER, Phase.QUEUED},
        new Object[]{Phase.RINGING, EventType.CALL_ANSWERED, Phase.ACTIVE},
        new Object[]{Phase.ACTIVE, EventType.CALL_HOLD, Phase.ON_HOLD},
        new Object[]{Phase.ON_HOLD, EventType.CALL_RESUMED, Phase.ACTIVE},
        new Object[]{Phase.ACTIVE, EventType.CALL_TRANSFERRED, Phase.QUEUED},
        new Object[]{Phase.ON_HOLD, EventType.CALL_TRANSFERRED, Phase.QUEUED},
        new Object[]{Phase.QUEUED, EventType.CALL_ENDED, Phase.ENDED},
        new Object[]{Phase.RINGING, EventType.CALL_ENDED, Phase.ENDED},
        new Object[]{Phase.ACTIVE, EventType.CALL_ENDED, Phase.ENDED},
        new Object[]{Phase.ON_HOLD, EventType.CALL_ENDED, Phase.ENDED});

    static Stream<Arguments> legal() {
        return LEGAL.stream().map(Arguments::of);
    }

    static Stream<Arguments> illegal() {
        List<Arguments> out = new ArrayList<>();
        for (Phase from : Phase.values()) {
            for (EventType type : EventType.values()) {
                boolean legal = LEGAL.stream().anyMatch(l -> l[0] == from && l[1] == type);
                if (!legal) {
                    out.add(Arguments.of(from, type));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} from {0} goes to {2}")
    @MethodSource("legal")
    void everyLegalTransitionIsAccepted(Phase from, EventType type, Phase to) {
        Transition t = CallStateMachine.apply(inPhase(from), sample(type), T + 10_000, q -> true);
        Call after = assertInstanceOf(Transition.Accepted.class, t).call();
        assertEquals(to, after.phase());
        assertEquals(T + 10_000, after.lastEventMs());
    }

    @ParameterizedTest(name = "{1} from {0} is rejected")
    @MethodSource("illegal")
    void everyIllegalTransitionIsRejectedNamingTheCurrentState(Phase from, EventType type) {
        Transition t = CallStateMachine.apply(inPhase(from), sample(type), T + 10_000, q -> true);
        Rejection r = assertInstanceOf(Transition.Rejected.class, t).rejection();
        assertEquals(Rejection.Reason.ILLEGAL_TRANSITION, r.reason());
        assertTrue(r.message().contains(from.status().wireName()), r.message());
        assertTrue(r.message().contains(type.wireName()), r.message());
    }

    @Test
    void theTableSaysExactlyWhatTheTestsExpect() {
        for (EventType type : EventType.values()) {
            java.util.Set<Phase> expected = java.util.EnumSet.noneOf(Phase.class);
            LEGAL.stream().filter(l -> l[1] == type).forEach(l -> expected.add((Phase) l[0]));
            assertEquals(expected, CallStateMachine.allowedFrom(type), type.wireName());
        }
    }

    @Test
    void aFirstEventOtherThanInitiatedIsAnUnknownCall() {
        for (EventType type : EventType.values()) {
            if (type == EventType.CALL_INITIATED) continue;
            Rejection r = assertInstanceOf(Transition.Rejected.class,
                CallStateMachine.apply(null, sample(type), T, q -> true)).rejection();
            assertEquals(Rejection.Reason.UNKNOWN_CALL, r.reason());
        }
    }

    @Test
    void initiatedIntoAnUnknownQueueIsRejected() {
        Rejection r = assertInstanceOf(Transition.Rejected.class,
            CallStateMachine.apply(null, sample(EventType.CALL_INITIATED), T, q -> false)).rejection();
        assertEquals(Rejection.Reason.UNKNOWN_QUEUE, r.reason());
        assertEquals("data.queue_id", r.field());
    }

    @Test
    void transferToAnUnknownQueueIsRejected() {
        Rejection r = assertInstanceOf(Transition.Rejected.class,
            CallStateMachine.apply(inPhase(Phase.ACTIVE), sample(EventType.CALL_TRANSFERRED), T + 5000, q -> q.equals("q")))
            .rejection();
        assertEquals(Rejection.Reason.UNKNOWN_QUEUE, r.reason());
    }

    @Test
    void answerMeasuresTheWaitAndEndMeasuresTheDuration() {
        Call c = inPhase(Phase.RINGING);
        c = ok(c, new CallEvent.CallAnswered(null, "c1", null, null), T + 12_000);
        assertEquals(12_000, c.waitMs());
        assertEquals(T + 12_000, c.answerMs());
        c = ok(c, new CallEvent.CallHold(null, "c1", null, null), T + 20_000);
        c = ok(c, new CallEvent.CallResumed(null, "c1", null), T + 25_000);
        c = ok(c, new CallEvent.CallEnded(null, "c1", null, "completed", null), T + 72_000);
        assertEquals(60_000, c.durationMs());
        assertEquals(5_000, c.holdMs());
        assertEquals(CallStatus.ENDED, c.status());
    }

    @Test
    void reportedFiguresWinOverMeasuredOnes() {
        Call c = ok(inPhase(Phase.RINGING), new CallEvent.CallAnswered(null, "c1", null, 25.0), T + 3_000);
        assertEquals(25_000, c.waitMs());
        c = ok(c, new CallEvent.CallEnded(null, "c1", null, "completed", 300.0), T + 10_000);
        assertEquals(300_000, c.durationMs());
    }

    @Test
    void endedWhileWaitingIsAbandonedWithoutDuration() {
        Call c = ok(inPhase(Phase.QUEUED), sample(EventType.CALL_ENDED), T + 5_000);
        assertTrue(c.has(CallFlag.ABANDONED));
        assertEquals(Call.NONE, c.durationMs());
        assertNull(c.answerTime());
    }

    @Test
    void retransferRemembersWhoMissedTheCall() {
        Call c = ok(inPhase(Phase.RINGING), sample(EventType.CALL_RETRANSFER), T + 16_000);
        assertEquals(List.of("ana"), c.missedAgents());
        assertNull(c.agentId());
        assertEquals(Phase.QUEUED, c.phase());
    }

    @Test
    void transferToAnAgentRingsThemAndRestartsTheWait() {
        Call c = ok(inPhase(Phase.ON_HOLD), new CallEvent.CallTransferred(null, "c1", null, null, "dan"), T + 9_000);
        assertEquals(Phase.RINGING, c.phase());
        assertEquals("dan", c.agentId());
        assertEquals(T + 9_000, c.waitStartMs());
        assertEquals(6_000, c.holdMs());
    }
}
