package dev.switchboard.core;

import dev.switchboard.core.call.CallEvent;
import dev.switchboard.core.call.CallType;
import org.junit.jupiter.api.Test;

import static dev.switchboard.core.Fixture.SPANISH;
import static dev.switchboard.core.Fixture.T0;
import static dev.switchboard.core.Fixture.accepted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the engine treats the source's timestamps. */
class LateEventsTest {

    private final Fixture f = new Fixture();

    @Test
    void anEventsOwnTimestampIsItsEffectiveTime() {
        f.advance(60);
        Decision.Accepted d = accepted(f.engine.handle(
            new CallEvent.CallInitiated("e1", "c1", T0.plusSeconds(50), CallType.VOICE, SPANISH)));
        assertEquals(T0.plusSeconds(50).toEpochMilli(), d.after().startMs());
        assertFalse(d.late());
        // the SLA counts from the source's time: 30 s after t=50 is t=80
        assertTrue(f.tick(19.999).isEmpty());
        assertEquals(1, f.tick(0.001).size());
    }

    @Test
    void aTimestampInTheFutureIsClampedToTheEnginesNow() {
        Decision.Accepted d = accepted(f.engine.handle(
            new CallEvent.CallInitiated("e1", "c1", T0.plusSeconds(3600), CallType.VOICE, SPANISH)));
        assertEquals(T0.toEpochMilli(), d.after().startMs());
    }

    @Test
    void absurdTimestampsAreClampedWithoutOverflow() {
        Decision.Accepted far = accepted(f.engine.handle(
            new CallEvent.CallInitiated("e1", "c1", java.time.Instant.MAX, CallType.VOICE, SPANISH)));
        assertEquals(T0.toEpochMilli(), far.after().startMs());
        Decision.Accepted past = accepted(f.engine.handle(
            new CallEvent.CallInitiated("e2", "c2", java.time.Instant.MIN, CallType.VOICE, SPANISH)));
        assertEquals(0, past.after().startMs());
    }

    @Test
    void aLateEventIsAppliedInArrivalOrderAtTheCallsLastEventTime() {
        f.engine.handle(new CallEvent.CallInitiated("e1", "c1", T0, CallType.VOICE, SPANISH));
        f.advance(20);
        f.engine.handle(new CallEvent.CallRouted("e2", "c1", T0.plusSeconds(20), "ana", null));
        f.advance(5);
        // answered says t=10, before the routing at t=20: late
        Decision.Accepted d = accepted(f.engine.handle(new CallEvent.CallAnswered("e3", "c1", T0.plusSeconds(10), null)));
        assertTrue(d.late());
        assertEquals(T0.plusSeconds(20).toEpochMilli(), d.atMs());
        assertEquals(20_000, d.after().waitMs());
        assertEquals(T0.plusSeconds(20), d.after().answerTime());
    }

    @Test
    void durationsNeverGoNegative() {
        f.engine.handle(new CallEvent.CallInitiated("e1", "c1", T0, CallType.VOICE, SPANISH));
        f.engine.handle(new CallEvent.CallRouted("e2", "c1", T0, "ana", null));
        f.advance(30);
        f.engine.handle(new CallEvent.CallAnswered("e3", "c1", T0.plusSeconds(30), null));
        Decision.Accepted d = accepted(f.engine.handle(new CallEvent.CallEnded("e4", "c1", T0, "completed", null)));
        assertTrue(d.late());
        assertEquals(0, d.after().durationMs());
    }
}
