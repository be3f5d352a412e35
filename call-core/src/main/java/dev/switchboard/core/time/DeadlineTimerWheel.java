package dev.switchboard.core.time;

import java.util.Arrays;

/**
 * A hashed timing wheel of deadline timers, driven by the caller's clock readings.
 *
 * <p><b>Algorithm.</b> Varghese and Lauck's scheme 6 ("hashed timing wheel"), in the spirit of
 * Agrona's {@code DeadlineTimerWheel} and Netty's {@code HashedWheelTimer}: time is cut into ticks
 * of {@link #tickMs()} milliseconds and a timer lives in bucket {@code tick(deadline) mod
 * ticksPerWheel}. {@link #poll} walks the buckets of the ticks that have begun and expires the
 * timers whose exact deadline has been reached. A deadline more than one revolution away simply
 * stays in its bucket until the revolution that reaches it: every timer keeps its exact deadline,
 * so the tick only decides how much is scanned, never whether a timer fires early or late relative
 * to the clock readings passed to {@code poll}.
 *
 * <p><b>Storage.</b> Primitives only, no object per timer: each bucket owns its own arrays of
 * deadlines, payloads and stamps, and grows (doubling) only when <em>it</em> fills; the other
 * buckets keep their size. Freed slots go on the bucket's free-slot stack and are reused first. A
 * timer costs 24 bytes of arrays (8 deadline + 8 payload + 4 stamp + 4 free-stack), at most twice
 * that right after a bucket doubles.
 *
 * <p><b>Complexity.</b> {@link #schedule}: O(1) amortised. {@link #cancel}: O(1). {@link #poll}:
 * O(slots in the buckets of the elapsed ticks); a bucket that empties is reset so its scans stay
 * short. A clock that jumps by more than a revolution costs one pass over all buckets.
 *
 * <p><b>Timer ids.</b> An id packs bucket, slot and a per-slot stamp, so cancelling a timer that
 * already fired or was cancelled returns {@code false} instead of cancelling the slot's next
 * occupant (until the 20-bit stamp wraps, after about a million reuses of one slot).
 *
 * <p><b>Caveats.</b> Timers that expire in the same tick are handed over in no particular order.
 * Deadlines already in the past when scheduled fire at the next poll.
 *
 * <p><b>NOT thread safe.</b> One thread schedules, cancels and polls (the engine's owner).
 */
public final class DeadlineTimerWheel {

    /** Marks a free slot; no real deadline can be {@code Long.MAX_VALUE}. */
    public static final long NULL_DEADLINE = Long.MAX_VALUE;

    /** Slots each bucket starts with; buckets grow by doubling, independently of one another. */
    public static final int INITIAL_BUCKET_CAPACITY = 4;

    private static final int STAMP_BITS = 20;
    private static final int SLOT_BITS = 24;
    private static final int BUCKET_BITS = 19;
    private static final long STAMP_MASK = (1L << STAMP_BITS) - 1;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
    private static final int MAX_BUCKET_CAPACITY = 1 << SLOT_BITS;

    /** Called for each expired timer. */
    @FunctionalInterface
    public interface ExpiryHandler {
        /**
         * @param timerId    the id {@link #schedule} returned
         * @param deadlineMs the deadline the timer was scheduled for
         * @param payload    the caller's value given to {@link #schedule}
         * @return {@code true} to consume the timer; {@code false} to keep it pending and stop this
         * poll (it is offered again at the next poll)
         */
        boolean onExpiry(long timerId, long deadlineMs, long payload);
    }

    private final long startMs;
    private final long tickMs;
    private final int ticksPerWheel;
    private final int wheelMask;

    private final long[][] deadlines;
    private final long[][] payloads;
    private final int[][] stamps;
    private final int[][] freeSlots;
    private final int[] freeTop;
    private final int[] highWater;
    private final int[] liveInBucket;

    private long currentTick;
    private long timerCount;

    /**
     * @param startMs       the clock reading that is tick 0
     * @param tickMs        tick length in ms (the scan granularity, not the precision)
     * @param ticksPerWheel buckets per revolution; a power of two
     */
    public DeadlineTimerWheel(long startMs, long tickMs, int ticksPerWheel) {
        if (tickMs <= 0) {
            throw new IllegalArgumentException("tickMs must be positive: " + tickMs);
        }
        if (Integer.bitCount(ticksPerWheel) != 1 || ticksPerWheel > (1 << BUCKET_BITS)) {
            throw new IllegalArgumentException(
                "ticksPerWheel must be a power of two up to " + (1 << BUCKET_BITS) + ": " + ticksPerWheel);
        }
        this.startMs = startMs;
        this.tickMs = tickMs;
        this.ticksPerWheel = ticksPerWheel;
        this.wheelMask = ticksPerWheel - 1;
        this.deadlines = new long[ticksPerWheel][];
        this.payloads = new long[ticksPerWheel][];
        this.stamps = new int[ticksPerWheel][];
        this.freeSlots = new int[ticksPerWheel][];
        this.freeTop = new int[ticksPerWheel];
        this.highWater = new int[ticksPerWheel];
        this.liveInBucket = new int[ticksPerWheel];
    }

    public long tickMs() {
        return tickMs;
    }

    public int ticksPerWheel() {
        return ticksPerWheel;
    }

    /** @return timers scheduled and neither expired nor cancelled. */
    public long timerCount() {
        return timerCount;
    }

    /** @return the start of the tick the wheel has polled up to, in ms. */
    public long currentTickTimeMs() {
        return startMs + currentTick * tickMs;
    }

    /**
     * Schedules a timer.
     *
     * @param deadlineMs when it should expire (a past deadline expires at the next poll)
     * @param payload    any value the caller wants back on expiry
     * @return the timer's id, for {@link #cancel}
     */
    public long schedule(long deadlineMs, long payload) {
        if (deadlineMs == NULL_DEADLINE) {
            throw new IllegalArgumentException("deadline " + deadlineMs + " is reserved");
        }
        long tick = Math.max(tickOf(deadlineMs), currentTick);
        int bucket = (int) (tick & wheelMask);
        if (deadlines[bucket] == null) {
            allocate(bucket);
        }
        int slot;
        if (freeTop[bucket] > 0) {
            slot = freeSlots[bucket][--freeTop[bucket]];
        } else {
            if (highWater[bucket] == deadlines[bucket].length) {
                grow(bucket);
            }
            slot = highWater[bucket]++;
        }
        int stamp = (int) ((stamps[bucket][slot] + 1) & STAMP_MASK);
        stamps[bucket][slot] = stamp;
        deadlines[bucket][slot] = deadlineMs;
        payloads[bucket][slot] = payload;
        liveInBucket[bucket]++;
        timerCount++;
        return timerId(bucket, slot, stamp);
    }

    /**
     * Cancels a pending timer.
     *
     * @return {@code true} if it was pending; {@code false} if it had already expired, was
     * cancelled, or the id is not one of this wheel's
     */
    public boolean cancel(long timerId) {
        if (timerId < 0) {
            return false;
        }
        int bucket = (int) (timerId >>> (SLOT_BITS + STAMP_BITS));
        int slot = (int) ((timerId >>> STAMP_BITS) & SLOT_MASK);
        int stamp = (int) (timerId & STAMP_MASK);
        if (bucket >= ticksPerWheel || deadlines[bucket] == null || slot >= highWater[bucket]
            || stamps[bucket][slot] != stamp || deadlines[bucket][slot] == NULL_DEADLINE) {
            return false;
        }
        release(bucket, slot);
        return true;
    }

    /** @return the deadline of a pending timer, or {@link #NULL_DEADLINE} if it is not pending. */
    public long deadline(long timerId) {
        if (timerId < 0) {
            return NULL_DEADLINE;
        }
        int bucket = (int) (timerId >>> (SLOT_BITS + STAMP_BITS));
        int slot = (int) ((timerId >>> STAMP_BITS) & SLOT_MASK);
        int stamp = (int) (timerId & STAMP_MASK);
        if (bucket >= ticksPerWheel || deadlines[bucket] == null || slot >= highWater[bucket]
            || stamps[bucket][slot] != stamp) {
            return NULL_DEADLINE;
        }
        return deadlines[bucket][slot];
    }

    /**
     * Expires every timer whose deadline is at or before {@code nowMs}, up to {@code limit} of them.
     *
     * @return how many timers expired
     */
    public int poll(long nowMs, ExpiryHandler handler, int limit) {
        int expired = 0;
        long revolutionMs = tickMs * ticksPerWheel;
        if (nowMs - currentTickTimeMs() >= revolutionMs) {
            // The clock jumped a whole revolution or more: one pass over every bucket finds all due
            // timers, then the wheel moves straight to the tick of nowMs.
            for (int i = 0; i < ticksPerWheel && expired < limit; i++) {
                int bucket = (int) ((currentTick + i) & wheelMask);
                int n = expireBucket(bucket, nowMs, handler, limit - expired);
                if (n < 0) {
                    return expired + (-n - 1);
                }
                expired += n;
            }
            if (expired < limit) {
                currentTick = tickOf(nowMs);
            }
            return expired;
        }
        while (expired < limit) {
            long tickStart = currentTickTimeMs();
            if (nowMs < tickStart) {
                break;
            }
            int bucket = (int) (currentTick & wheelMask);
            int n = expireBucket(bucket, nowMs, handler, limit - expired);
            if (n < 0) {
                return expired + (-n - 1);
            }
            expired += n;
            if (nowMs >= tickStart + tickMs && expired < limit) {
                currentTick++;
            } else {
                break;
            }
        }
        return expired;
    }

    /**
     * Expires due timers of one bucket. Returns the count, or {@code -(count + 1)} when the
     * handler asked to stop.
     */
    private int expireBucket(int bucket, long nowMs, ExpiryHandler handler, int limit) {
        if (deadlines[bucket] == null || liveInBucket[bucket] == 0) {
            return 0;
        }
        int expired = 0;
        // highWater and the arrays are re-read each step: the handler may schedule into this bucket.
        for (int slot = 0; slot < highWater[bucket] && expired < limit; slot++) {
            long deadline = deadlines[bucket][slot];
            if (deadline == NULL_DEADLINE || deadline > nowMs) {
                continue;
            }
            long id = timerId(bucket, slot, stamps[bucket][slot]);
            long payload = payloads[bucket][slot];
            release(bucket, slot);
            if (!handler.onExpiry(id, deadline, payload)) {
                // Put it back exactly where it was, under the same id.
                reinstate(bucket, slot, deadline, payload);
                return -(expired + 1);
            }
            expired++;
        }
        return expired;
    }

    private void release(int bucket, int slot) {
        deadlines[bucket][slot] = NULL_DEADLINE;
        timerCount--;
        if (--liveInBucket[bucket] == 0) {
            // Empty bucket: forget the free list and scan nothing until it fills again.
            highWater[bucket] = 0;
            freeTop[bucket] = 0;
        } else {
            freeSlots[bucket][freeTop[bucket]++] = slot;
        }
    }

    private void reinstate(int bucket, int slot, long deadline, long payload) {
        if (highWater[bucket] <= slot) {
            highWater[bucket] = slot + 1;
        } else {
            // remove the slot from the free stack (it was pushed by release)
            int top = freeTop[bucket];
            for (int i = top - 1; i >= 0; i--) {
                if (freeSlots[bucket][i] == slot) {
                    freeSlots[bucket][i] = freeSlots[bucket][top - 1];
                    freeTop[bucket]--;
                    break;
                }
            }
        }
        deadlines[bucket][slot] = deadline;
        payloads[bucket][slot] = payload;
        liveInBucket[bucket]++;
        timerCount++;
    }

    private long tickOf(long timeMs) {
        return Math.floorDiv(timeMs - startMs, tickMs);
    }

    private static long timerId(int bucket, int slot, int stamp) {
        return ((long) bucket << (SLOT_BITS + STAMP_BITS)) | ((long) slot << STAMP_BITS) | stamp;
    }

    private void allocate(int bucket) {
        deadlines[bucket] = new long[INITIAL_BUCKET_CAPACITY];
        Arrays.fill(deadlines[bucket], NULL_DEADLINE);
        payloads[bucket] = new long[INITIAL_BUCKET_CAPACITY];
        stamps[bucket] = new int[INITIAL_BUCKET_CAPACITY];
        freeSlots[bucket] = new int[INITIAL_BUCKET_CAPACITY];
    }

    private void grow(int bucket) {
        int capacity = deadlines[bucket].length;
        if (capacity >= MAX_BUCKET_CAPACITY) {
            throw new IllegalStateException("bucket " + bucket + " is full: " + capacity + " timers in one tick");
        }
        int newCapacity = Math.min(capacity * 2, MAX_BUCKET_CAPACITY);
        deadlines[bucket] = Arrays.copyOf(deadlines[bucket], newCapacity);
        Arrays.fill(deadlines[bucket], capacity, newCapacity, NULL_DEADLINE);
        payloads[bucket] = Arrays.copyOf(payloads[bucket], newCapacity);
        stamps[bucket] = Arrays.copyOf(stamps[bucket], newCapacity);
        freeSlots[bucket] = Arrays.copyOf(freeSlots[bucket], newCapacity);
    }
}
