package dev.switchboard.core.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadlineTimerWheelTest {

    private static final long START = 1_000_000L;

    private final DeadlineTimerWheel wheel = new DeadlineTimerWheel(START, 10, 64);
    private final List<Long> fired = new ArrayList<>();

    private int poll(long now) {
        return wheel.poll(now, (id, deadline, payload) -> fired.add(payload), Integer.MAX_VALUE);
    }

    @Test
    void firesExactlyAtTheDeadlineNotBefore() {
        wheel.schedule(START + 30_000, 7);
        assertEquals(0, poll(START + 29_999));
        assertEquals(1, poll(START + 30_000));
        assertEquals(List.of(7L), fired);
        assertEquals(0, wheel.timerCount());
    }

    @Test
    void timersFireInDeadlineOrderAcrossTicks() {
        long[] deadlines = {START + 500, START + 20, START + 640 * 3 + 5, START + 95, START + 1};
        for (long d : deadlines) {
            wheel.schedule(d, d);
        }
        for (long t = START; t <= START + 3_000; t += 1) {
            poll(t);
        }
        assertEquals(List.of(START + 1, START + 20, START + 95, START + 500, START + 640 * 3 + 5), fired);
    }

    @Test
    void cancelledTimersNeverFireAndCancelIsNotRepeatable() {
        long a = wheel.schedule(START + 100, 1);
        long b = wheel.schedule(START + 100, 2);
        assertTrue(wheel.cancel(a));
        assertFalse(wheel.cancel(a));
        poll(START + 200);
        assertEquals(List.of(2L), fired);
        assertFalse(wheel.cancel(b), "already fired");
    }

    @Test
    void aStaleIdDoesNotCancelTheSlotsNextTimer() {
        long a = wheel.schedule(START + 100, 1);
        wheel.cancel(a);
        long b = wheel.schedule(START + 100, 2);   // reuses the slot
        assertFalse(wheel.cancel(a));
        poll(START + 100);
        assertEquals(List.of(2L), fired);
        assertFalse(wheel.cancel(b));
    }

    @Test
    void manyTimersInOneTickAllFire() {
        for (int i = 0; i < 10_000; i++) {
            wheel.schedule(START + 55, i);
        }
        assertEquals(10_000, poll(START + 59));
        assertEquals(10_000, new HashSet<>(fired).size());
    }

    @Test
    void aFullBucketGrowsAloneAndEmptiesBackToNoScan() {
        for (int i = 0; i < 1000; i++) {
            wheel.schedule(START + 15, i);
        }
        wheel.schedule(START + 25, -1);
        assertEquals(1000, poll(START + 19));
        assertEquals(1, wheel.timerCount());
        assertEquals(1, poll(START + 25));
    }

    @Test
    void deadlinesBeyondOneRevolutionWaitForTheirTurn() {
        // revolution = 64 ticks x 10 ms = 640 ms
        wheel.schedule(START + 5 * 640 + 3, 1);
        for (long t = START; t < START + 5 * 640 + 3; t += 7) {
            poll(t);
        }
        assertTrue(fired.isEmpty());
        poll(START + 5 * 640 + 3);
        assertEquals(List.of(1L), fired);
    }

    @Test
    void aClockJumpOfManyRevolutionsFiresEverythingDueOnce() {
        wheel.schedule(START + 10, 1);
        wheel.schedule(START + 1_000, 2);
        wheel.schedule(START + 100_000, 3);
        wheel.schedule(START + 100_001, 4);
        assertEquals(3, poll(START + 100_000));
        assertEquals(Set.of(1L, 2L, 3L), new HashSet<>(fired));
        assertEquals(1, poll(START + 100_001));
        assertEquals(0, poll(START + 900_001));
    }

    @Test
    void aPastDeadlineFiresAtTheNextPoll() {
        poll(START + 10_000);
        wheel.schedule(START + 5, 9);
        assertEquals(1, poll(START + 10_000));
    }

    @Test
    void aHandlerCanStopThePollAndKeepTheTimer() {
        long id = wheel.schedule(START + 10, 1);
        int n = wheel.poll(START + 20, (i, d, p) -> false, 10);
        assertEquals(0, n);
        assertEquals(1, wheel.timerCount());
        assertEquals(START + 10, wheel.deadline(id));
        assertEquals(1, poll(START + 20));
    }

    @Test
    void pollRespectsItsLimit() {
        for (int i = 0; i < 10; i++) {
            wheel.schedule(START + 10, i);
        }
        assertEquals(4, wheel.poll(START + 10, (i, d, p) -> true, 4));
        assertEquals(6, wheel.timerCount());
    }

    @Test
    void aMillionTimersScheduledCancelledAndExpired() {
        DeadlineTimerWheel big = new DeadlineTimerWheel(START, 10, 8192);
        Random random = new Random(42);
        int n = 1_000_000;
        long[] ids = new long[n];
        long[] deadlines = new long[n];
        for (int i = 0; i < n; i++) {
            deadlines[i] = START + random.nextInt(200_000);
            ids[i] = big.schedule(deadlines[i], i);
        }
        assertEquals(n, big.timerCount());
        int cancelled = 0;
        for (int i = 0; i < n; i += 2) {
            assertTrue(big.cancel(ids[i]));
            cancelled++;
        }
        long[] seen = new long[1];
        long[] lastDeadline = {Long.MIN_VALUE};
        boolean[] late = {false};
        long[] now = {START};
        for (; now[0] <= START + 200_000; now[0] += 50) {
            big.poll(now[0], (id, deadline, payload) -> {
                if (payload % 2 == 0 || deadline > now[0] || deadline < now[0] - 50) {
                    late[0] = true;
                }
                seen[0]++;
                lastDeadline[0] = deadline;
                return true;
            }, Integer.MAX_VALUE);
        }
        assertFalse(late[0], "a cancelled timer fired, or one fired early or late");
        assertEquals(n - cancelled, seen[0]);
        assertEquals(0, big.timerCount());
    }

    @Test
    void rejectsABadShape() {
        assertThrows(IllegalArgumentException.class, () -> new DeadlineTimerWheel(0, 10, 100));
        assertThrows(IllegalArgumentException.class, () -> new DeadlineTimerWheel(0, 0, 64));
    }
}
