package dev.switchboard.server.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoredCallsTest {

    /** A table of call ids whose read can be held at its start. */
    static final class Table implements StoredCalls.Source {
        final List<String> ids = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch reading = new CountDownLatch(1);

        @Override
        public long forEachCallId(Consumer<String> id) throws Exception {
            reading.countDown();
            assertTrue(release.await(10, TimeUnit.SECONDS));
            List<String> snapshot;
            synchronized (ids) {
                snapshot = List.copyOf(ids);
            }
            snapshot.forEach(id);
            return snapshot.size();
        }

        @Override
        public long approximateCount() {
            return ids.size();
        }
    }

    private static void awaitComplete(StoredCalls calls) throws InterruptedException {
        for (int i = 0; i < 1000 && !calls.complete(); i++) {
            Thread.sleep(5);   // the fill runs on its own thread: wait for it, bounded
        }
        assertTrue(calls.complete());
    }

    @Test
    void aFilterNeverForgetsAnIdAndRarelyClaimsOne() {
        StoredCalls.Filter f = new StoredCalls.Filter(100_000);
        for (int i = 0; i < 100_000; i++) {
            f.add("call-" + i);
        }
        for (int i = 0; i < 100_000; i++) {
            assertTrue(f.mayContain("call-" + i));
        }
        int claimed = 0;
        for (int i = 0; i < 100_000; i++) {
            claimed += f.mayContain("other-" + i) ? 1 : 0;
        }
        assertTrue(claimed < 2_000, "false positives at capacity: " + claimed + " of 100,000");
    }

    @Test
    void untilItsFillIsDoneEveryCallMayBeStoredAndCallsCommittedMeanwhileAreKept() throws Exception {
        Table table = new Table();
        table.ids.addAll(List.of("old-1", "old-2"));
        StoredCalls calls = new StoredCalls(table);
        calls.load();
        assertTrue(table.reading.await(10, TimeUnit.SECONDS));
        assertTrue(calls.mayContain("never-stored"), "no answer before the fill");
        calls.add("during-fill");   // committed after the read's snapshot
        table.release.countDown();
        awaitComplete(calls);
        assertTrue(calls.mayContain("old-1"));
        assertTrue(calls.mayContain("old-2"));
        assertTrue(calls.mayContain("during-fill"));
        assertFalse(calls.mayContain("never-stored"));
        calls.add("after");
        assertTrue(calls.mayContain("after"));
    }

    @Test
    void outgrowingItsCapacityItIsRefilledLargerAndKeepsEveryCall() throws Exception {
        Table table = new Table();
        table.release.countDown();
        StoredCalls calls = new StoredCalls(table);
        calls.load();
        awaitComplete(calls);
        int n = (1 << 20) + 10;   // past the smallest capacity
        for (int i = 0; i < n; i++) {
            String id = "c" + i;
            table.ids.add(id);
            calls.add(id);
        }
        for (int i = 0; i < 1000 && calls.capacity() <= 1 << 20; i++) {
            Thread.sleep(10);
        }
        assertTrue(calls.capacity() > 1 << 20, "refilled larger");
        for (int i = 0; i < n; i += 7) {
            assertTrue(calls.mayContain("c" + i), "c" + i);
        }
        assertFalse(calls.mayContain("never") && calls.mayContain("never-2") && calls.mayContain("never-3"));
    }
}
