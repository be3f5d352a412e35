package dev.switchboard.server.ingest;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which calls the database may have a row of: a Bloom filter over the ids of every call stored,
 * so that a new call (its {@code call_initiated}, or any event of a call this node does not hold)
 * is known to be new without asking the database whether it was stored before. The answer
 * "surely not stored" is exact; "maybe stored" is asked of the database as before (about 1 % of
 * new calls while the filter is within its capacity).
 *
 * <p>Filled from the {@code calls} table in the background after a start; until then every
 * answer is "maybe" (the lookups of before). Every call committed after is added by the writer
 * (a follower: as it applies the leader's entries), before its outcome is answered. When the
 * calls outgrow the capacity, a filter 4 times larger is filled in the background while the
 * old one keeps answering, with calls added meanwhile going to both. Deleted calls (retention)
 * stay in: they cost only a lookup. 10 bits and 7 probes per call: 1.25 MB per million calls.
 *
 * <p>Thread safe: bits are set with atomic ORs, so a fill and the writer never lose each other's.
 */
final class StoredCalls {

    private static final Logger LOG = Logger.getLogger(StoredCalls.class.getName());
    private static final int BITS_PER_CALL = 10;
    private static final int PROBES = 7;
    private static final long MIN_CAPACITY = 1 << 20;

    /** The ids of every stored call, streamed (a fill); returns how many it read. */
    interface Source {
        long forEachCallId(Consumer<String> id) throws Exception;

        /** About how many calls are stored (to size the filter). */
        long approximateCount() throws Exception;
    }

    private final Source source;
    private volatile Filter current;
    private volatile Filter next;
    private volatile boolean complete;
    private volatile boolean filling;

    StoredCalls(Source source) {
        this.source = source;
    }

    /**
     * Starts the first fill in the background (the answers are "maybe" until it is done); calls
     * may be added from now on.
     */
    void load() {
        current = new Filter(MIN_CAPACITY);
        fill(current, true);
    }

    /** Whether the database may hold a row of {@code callId}; {@code false} only when it surely does not. */
    boolean mayContain(String callId) {
        Filter f = current;
        return !complete || f == null || f.mayContain(callId);
    }

    /** A call was stored (or applied from the leader's log). */
    void add(String callId) {
        // next before current: a fill that ends swaps current first and clears next after, so an id
        // is in the filter that answers whichever the order (a fill's own read started after next was set)
        Filter n = next;
        Filter f = current;
        if (f == null) {
            throw new IllegalStateException("load() first");
        }
        f.add(callId);
        if (n != null && n != f) {
            n.add(callId);
        }
        if (complete && !filling && f.count() > f.capacity && System.nanoTime() - failedAt > RETRY_NANOS) {
            grow(f.capacity * 4);
        }
    }

    private static final long RETRY_NANOS = 60_000_000_000L;
    private volatile long failedAt = System.nanoTime() - RETRY_NANOS;

    /** How many calls the filter answering now is sized for. */
    long capacity() {
        Filter f = current;
        return f == null ? 0 : f.capacity;
    }

    /** Whether the filter answers (its fill is done). */
    boolean complete() {
        return complete;
    }

    private synchronized void grow(long capacity) {
        if (filling) {
            return;
        }
        Filter bigger = new Filter(capacity);
        next = bigger;
        fill(bigger, false);
    }

    private synchronized void fill(Filter target, boolean first) {
        filling = true;
        Thread.ofVirtual().name("switchboard-stored-calls").start(() -> {
            long t0 = System.nanoTime();
            try {
                Filter into = target;
                if (first) {
                    long stored = source.approximateCount();
                    if (2 * stored > into.capacity) {
                        into = new Filter(2 * stored);
                        next = into;   // before the read starts: calls committed from now on go to both
                    }
                }
                long n = source.forEachCallId(into::add);
                if (into != current) {
                    current = into;
                    next = null;
                }
                complete = true;
                LOG.info("stored calls known: " + n + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms (capacity "
                    + into.capacity + ")");
            } catch (Exception e) {
                // without the filter every new call is looked up in the database, as before
                next = null;
                failedAt = System.nanoTime();
                LOG.log(Level.WARNING, "cannot read the stored calls; new calls are looked up one by one", e);
            } finally {
                filling = false;
            }
        });
    }

    /** A Bloom filter of a fixed size. */
    static final class Filter {
        final long capacity;
        private final AtomicLongArray words;
        private final long mask;
        private final java.util.concurrent.atomic.LongAdder added = new java.util.concurrent.atomic.LongAdder();

        Filter(long capacity) {
            this.capacity = capacity;
            long bits = Long.highestOneBit(Math.max(64, capacity * BITS_PER_CALL - 1)) << 1;
            this.words = new AtomicLongArray((int) (bits >>> 6));
            this.mask = bits - 1;
        }

        void add(String id) {
            long h1 = hash(id);
            long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + i * h2) & mask;
                long m = 1L << bit;
                int w = (int) (bit >>> 6);
                if ((words.get(w) & m) == 0) {
                    words.getAndAccumulate(w, m, (a, b) -> a | b);
                }
            }
            added.increment();
        }

        boolean mayContain(String id) {
            long h1 = hash(id);
            long h2 = mix(h1 ^ 0x9E3779B97F4A7C15L) | 1;
            for (int i = 0; i < PROBES; i++) {
                long bit = (h1 + i * h2) & mask;
                if ((words.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        long count() {
            return added.sum();
        }

        /** FNV-1a over the characters, then a 64-bit finalizer. */
        static long hash(String s) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
            return mix(h);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }
    }
}
