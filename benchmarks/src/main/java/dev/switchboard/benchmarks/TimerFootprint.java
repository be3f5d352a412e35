package dev.switchboard.benchmarks;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.time.DeadlineTimerWheel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;

import java.lang.ref.Reference;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Heap per pending timer at 1 000 000 pending timers (or the count given as the first argument).
 *
 * <p>For each timer structure: full GCs, heap in use; schedule the timers (keeping the structure
 * reachable); full GCs, heap in use again. The difference divided by the count is the retained
 * heap per pending timer, including the structure's spare capacity. Also printed: the bytes the
 * thread <em>allocated</em> while scheduling (retained plus garbage, e.g. arrays left behind when
 * a bucket doubles). Timer ids / futures are not kept: the caller stores those wherever it likes
 * (the engine keeps 8-byte ids in its per-call record).
 *
 * <p>Run: {@code java -XX:+UseSerialGC -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar
 * dev.switchboard.benchmarks.TimerFootprint}
 */
public final class TimerFootprint {

    private TimerFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.println("JVM: " + Heap.vmSummary());
        System.out.printf(Locale.ROOT, "%,d pending timers each%n%n", n);

        long revolutionMs = CallEngine.DEFAULT_TICK_MS * CallEngine.DEFAULT_TICKS_PER_WHEEL;
        wheel(n, 60_000, "DeadlineTimerWheel 10 ms x 8192, deadlines uniform over 60 s (the engine's timers)", true);
        wheel(n, revolutionMs, "DeadlineTimerWheel 10 ms x 8192, deadlines uniform over one revolution (81.92 s)", false);
        wheel(n, 1_000, "DeadlineTimerWheel 10 ms x 8192, deadlines within 1 s (100 buckets, 10k timers each)", false);
        executor(n);
        netty(n);
    }

    private static void wheel(int n, long spreadMs, String label, boolean histogram) {
        long start = 1_764_000_000_000L;
        Map<String, long[]> h0 = histogram ? Heap.histogram() : null;
        long before = Heap.usedAfterGc();
        long alloc0 = Heap.allocatedByThisThread();
        DeadlineTimerWheel wheel = new DeadlineTimerWheel(start, CallEngine.DEFAULT_TICK_MS, CallEngine.DEFAULT_TICKS_PER_WHEEL);
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            wheel.schedule(start + 1 + (long) (r.nextDouble() * spreadMs), i);
        }
        long allocated = Heap.allocatedByThisThread() - alloc0;
        long after = Heap.usedAfterGc();
        report(label, n, after - before, allocated);
        if (histogram) {
            Heap.printGrowth(h0, Heap.histogram(), n, "timer", 6);
            System.out.println();
        }
        if (wheel.timerCount() != n) {
            throw new IllegalStateException("wheel holds " + wheel.timerCount());
        }
        Reference.reachabilityFence(wheel);
    }

    private static void executor(int n) throws InterruptedException {
        Runnable noop = () -> { };
        long before = Heap.usedAfterGc();
        long alloc0 = Heap.allocatedByThisThread();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            executor.schedule(noop, 3_600_000 + (long) (r.nextDouble() * 60_000), TimeUnit.MILLISECONDS);
        }
        long allocated = Heap.allocatedByThisThread() - alloc0;
        long after = Heap.usedAfterGc();
        report("ScheduledThreadPoolExecutor (context)", n, after - before, allocated);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    private static void netty(int n) throws InterruptedException {
        TimerTask noop = timeout -> { };
        long before = Heap.usedAfterGc();
        long alloc0 = Heap.allocatedByThisThread();
        HashedWheelTimer timer = new HashedWheelTimer(Thread::new, CallEngine.DEFAULT_TICK_MS, TimeUnit.MILLISECONDS,
            CallEngine.DEFAULT_TICKS_PER_WHEEL, false);
        Random r = new Random(42);
        for (int i = 0; i < n; i++) {
            timer.newTimeout(noop, 3_600_000 + (long) (r.nextDouble() * 60_000), TimeUnit.MILLISECONDS);
        }
        long allocated = Heap.allocatedByThisThread() - alloc0;
        Thread.sleep(500); // let the worker move the timeouts from its queue into the buckets
        long after = Heap.usedAfterGc();
        report("Netty HashedWheelTimer 10 ms x 8192 (context)", n, after - before, allocated);
        timer.stop();
    }

    private static void report(String label, int n, long retained, long allocated) {
        System.out.printf(Locale.ROOT, "%s%n    retained %,d B = %.1f B per pending timer; allocated while scheduling %.1f B per timer%n",
            label, retained, (double) retained / n, (double) allocated / n);
    }
}
