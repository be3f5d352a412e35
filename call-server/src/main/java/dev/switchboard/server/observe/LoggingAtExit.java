package dev.switchboard.server.observe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps java.util.logging working until a shutdown hook of ours has finished, so that the lines
 * the graceful stop logs (and its final "Drained in … ms" line) are written.
 *
 * <p>Why it is needed: {@link LogManager} registers a shutdown hook of its own (its "Cleaner")
 * that calls {@link LogManager#reset()}, which removes and closes every handler. The JVM starts
 * all shutdown hooks at once and in no set order, so without this a line logged by our hook after
 * the Cleaner ran goes nowhere. {@code reset()} closes the root logger's handlers one by one, in
 * order; a do-nothing handler put first makes that {@code close()} the place to wait: the real
 * handlers stay attached until it returns. (Helidon's WebServer does the same for its own hook,
 * which {@code Switchboard} turns off.)
 *
 * <p>The wait is bounded, and happens only while the JVM is shutting down: a {@code reset()} at
 * any other time (a reconfiguration) closes the handler without waiting. Install it after the
 * logging configuration is read ({@code LogConfig.configureRuntime()} resets the handlers too).
 */
public final class LoggingAtExit extends Handler {

    private final Thread hook;
    private final Duration bound;

    private LoggingAtExit(Thread hook, Duration bound) {
        this.hook = hook;
        this.bound = bound;
    }

    /**
     * Makes the root logger's handlers outlive {@code hook} (a registered shutdown hook), waiting
     * for it at most {@code bound}.
     */
    public static void holdUntil(Thread hook, Duration bound) {
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] handlers = root.getHandlers();
        for (Handler h : handlers) {
            root.removeHandler(h);
        }
        root.addHandler(new LoggingAtExit(hook, bound));   // first: closed (and waited in) first
        for (Handler h : handlers) {
            root.addHandler(h);
        }
    }

    @Override
    public void publish(LogRecord record) {
        // writes nothing: the handlers after it do
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        if (!shuttingDown()) {
            return;
        }
        long end = System.nanoTime() + bound.toNanos();
        try {
            // all hooks are started together, but ours may not have been started yet: join() on a
            // thread not started returns at once
            while (hook.getState() == Thread.State.NEW && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (leftMs > 0) {
                hook.join(leftMs);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the JVM is running its shutdown hooks (then it refuses to take another one). */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
