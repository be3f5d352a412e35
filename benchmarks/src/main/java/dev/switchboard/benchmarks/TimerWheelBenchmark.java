package dev.switchboard.benchmarks;

import dev.switchboard.core.CallEngine;
import dev.switchboard.core.time.DeadlineTimerWheel;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * {@link DeadlineTimerWheel} against {@link ScheduledThreadPoolExecutor} and Netty's
 * {@link HashedWheelTimer}. One operation = one timer; each invocation handles a batch of
 * {@value #BATCH} timers, so the scores are timers per second.
 *
 * <ul>
 *   <li>{@code *ScheduleCancel}: schedule {@value #BATCH} timers 1 to 60 s out (the engine's
 *       timers are 15 to 60 s), then cancel all of them, as the engine does when calls move on
 *       before their deadlines. One op = one schedule + one cancel, measured on the caller's
 *       thread. The executor and Netty also do work on their own worker thread (re-parking,
 *       draining the cancel queue), which here runs on the machine's other core and is not
 *       counted.</li>
 *   <li>{@code *ScheduleExpire}: one op = one timer scheduled and fired. The wheel runs on a
 *       virtual clock: {@value #BATCH} deadlines spread over 1 s, then {@code poll} every 10 ms
 *       tick until all have fired, all on the benchmark thread. The executor and Netty can only
 *       expire in real time, so they get zero-delay timers and the benchmark thread waits on a
 *       latch until their worker thread has run all {@value #BATCH}: that measures
 *       schedule + cross-thread hand-off + run, and for Netty also the wait for its next tick
 *       (1 ms, its minimum). Not the same work: see BENCHMARKS.md.</li>
 * </ul>
 *
 * {@code pending} is the number of other timers already pending (far in the future) in the same
 * timer: 0, or 100 000 (the order of the engine's live timers at 100k live calls).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TimerWheelBenchmark {

    public static final int BATCH = 1000;

    /** Delays of the schedule+cancel batch: 1 s to 60 s, fixed seed. */
    static final long[] CANCEL_DELAYS_MS = spread(BATCH, 1_000, 60_000, 42);

    /** Delays of the wheel's schedule+expire batch: 1 ms to 1 s, fixed seed. */
    static final long[] EXPIRE_DELAYS_MS = spread(BATCH, 1, 1_000, 43);

    /** Background timers of the real-time timers: a day out, never due during a run. */
    static final long BACKGROUND_DELAY_MS = TimeUnit.DAYS.toMillis(1);

    /** Background timers of the wheel (virtual clock): ten years out, never due during a run. */
    static final long WHEEL_BACKGROUND_DELAY_MS = TimeUnit.DAYS.toMillis(3650);

    static final Runnable NOOP = () -> { };
    static final TimerTask NOOP_TASK = timeout -> { };

    static long[] spread(int n, long minMs, long maxMs, long seed) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = minMs + (long) (r.nextDouble() * (maxMs - minMs));
        }
        return out;
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------------ states

    /** The engine's wheel: 10 ms ticks, 8192 buckets. */
    @State(Scope.Thread)
    public static class Wheel {
        @Param({"0", "100000"})
        public int pending;

        DeadlineTimerWheel wheel;
        long nowMs;
        final long[] ids = new long[BATCH];
        final CountingHandler handler = new CountingHandler();

        @Setup(Level.Trial)
        public void setUp() {
            nowMs = 1_764_000_000_000L;
            wheel = new DeadlineTimerWheel(nowMs, CallEngine.DEFAULT_TICK_MS, CallEngine.DEFAULT_TICKS_PER_WHEEL);
            long revolutionMs = CallEngine.DEFAULT_TICK_MS * CallEngine.DEFAULT_TICKS_PER_WHEEL;
            Random r = new Random(1);
            for (int i = 0; i < pending; i++) {
                wheel.schedule(nowMs + WHEEL_BACKGROUND_DELAY_MS + r.nextInt((int) revolutionMs), -1);
            }
        }

        @TearDown(Level.Trial)
        public void check() {
            if (wheel.timerCount() != pending) {
                throw new IllegalStateException("wheel has " + wheel.timerCount() + " timers, expected " + pending);
            }
        }
    }

    /** Counts the benchmark's own timers (payload >= 0) as they fire. */
    static final class CountingHandler implements DeadlineTimerWheel.ExpiryHandler {
        int fired;
        long sum;

        @Override
        public boolean onExpiry(long timerId, long deadlineMs, long payload) {
            if (payload >= 0) {
                fired++;
                sum += payload;
            }
            return true;
        }
    }

    /** A one-thread ScheduledThreadPoolExecutor that removes cancelled tasks from its queue. */
    @State(Scope.Thread)
    public static class Stpe {
        @Param({"0", "100000"})
        public int pending;

        ScheduledThreadPoolExecutor executor;
        final ScheduledFuture<?>[] futures = new ScheduledFuture<?>[BATCH];

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1, daemon("stpe-worker"));
            executor.setRemoveOnCancelPolicy(true);
            executor.prestartAllCoreThreads();
            Random r = new Random(1);
            for (int i = 0; i < pending; i++) {
                executor.schedule(NOOP, BACKGROUND_DELAY_MS + r.nextInt(60_000), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            int queued = executor.getQueue().size();
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            if (queued != pending) {
                throw new IllegalStateException("executor queue has " + queued + " tasks, expected " + pending);
            }
        }
    }

    /** Netty's timer, one per trial; its worker thread is stopped at the end of the trial. */
    @State(Scope.Thread)
    public abstract static class NettyTimer {
        @Param({"0", "100000"})
        public int pending;

        HashedWheelTimer timer;
        final Timeout[] timeouts = new Timeout[BATCH];

        abstract long tickMs();

        abstract int ticksPerWheel();

        @Setup(Level.Trial)
        public void setUp() {
            timer = new HashedWheelTimer(daemon("netty-timer"), tickMs(), TimeUnit.MILLISECONDS, ticksPerWheel(), false);
            timer.start();
            Random r = new Random(1);
            for (int i = 0; i < pending; i++) {
                timer.newTimeout(NOOP_TASK, BACKGROUND_DELAY_MS + r.nextInt(60_000), TimeUnit.MILLISECONDS);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            timer.stop();
        }
    }

    /** For schedule+cancel: the engine wheel's geometry, 10 ms x 8192. */
    @State(Scope.Thread)
    public static class NettyCancel extends NettyTimer {
        @Override
        long tickMs() {
            return CallEngine.DEFAULT_TICK_MS;
        }

        @Override
        int ticksPerWheel() {
            return CallEngine.DEFAULT_TICKS_PER_WHEEL;
        }
    }

    /** For schedule+expire: Netty's finest tick (1 ms), so the wait for the next tick is smallest. */
    @State(Scope.Thread)
    public static class NettyExpire extends NettyTimer {
        @Override
        long tickMs() {
            return 1;
        }

        @Override
        int ticksPerWheel() {
            return 512;
        }
    }

    // ------------------------------------------------------------------ schedule + cancel

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int wheelScheduleCancel(Wheel s) {
        DeadlineTimerWheel wheel = s.wheel;
        long now = s.nowMs;
        long[] ids = s.ids;
        for (int i = 0; i < BATCH; i++) {
            ids[i] = wheel.schedule(now + CANCEL_DELAYS_MS[i], i);
        }
        int cancelled = 0;
        for (int i = 0; i < BATCH; i++) {
            if (wheel.cancel(ids[i])) {
                cancelled++;
            }
        }
        return cancelled;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int executorScheduleCancel(Stpe s) {
        ScheduledThreadPoolExecutor executor = s.executor;
        ScheduledFuture<?>[] futures = s.futures;
        for (int i = 0; i < BATCH; i++) {
            futures[i] = executor.schedule(NOOP, CANCEL_DELAYS_MS[i], TimeUnit.MILLISECONDS);
        }
        int cancelled = 0;
        for (int i = 0; i < BATCH; i++) {
            if (futures[i].cancel(false)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int nettyScheduleCancel(NettyCancel s) {
        HashedWheelTimer timer = s.timer;
        Timeout[] timeouts = s.timeouts;
        for (int i = 0; i < BATCH; i++) {
            timeouts[i] = timer.newTimeout(NOOP_TASK, CANCEL_DELAYS_MS[i], TimeUnit.MILLISECONDS);
        }
        int cancelled = 0;
        for (int i = 0; i < BATCH; i++) {
            if (timeouts[i].cancel()) {
                cancelled++;
            }
        }
        return cancelled;
    }

    // ------------------------------------------------------------------ schedule + expire

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long wheelScheduleExpire(Wheel s) {
        DeadlineTimerWheel wheel = s.wheel;
        CountingHandler handler = s.handler;
        long start = s.nowMs;
        for (int i = 0; i < BATCH; i++) {
            wheel.schedule(start + EXPIRE_DELAYS_MS[i], i);
        }
        handler.fired = 0;
        long now = start;
        long tick = wheel.tickMs();
        while (handler.fired < BATCH) {
            now += tick;
            wheel.poll(now, handler, Integer.MAX_VALUE);
        }
        s.nowMs = now;
        return handler.sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void executorScheduleExpire(Stpe s) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        Runnable task = done::countDown;
        ScheduledThreadPoolExecutor executor = s.executor;
        for (int i = 0; i < BATCH; i++) {
            executor.schedule(task, 0, TimeUnit.MILLISECONDS);
        }
        await(done);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void nettyScheduleExpire(NettyExpire s) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        TimerTask task = timeout -> done.countDown();
        HashedWheelTimer timer = s.timer;
        for (int i = 0; i < BATCH; i++) {
            timer.newTimeout(task, 0, TimeUnit.MILLISECONDS);
        }
        await(done);
    }

    private static void await(CountDownLatch done) throws InterruptedException {
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(done.getCount() + " timers did not fire within 30 s");
        }
    }
}
