package dev.switchboard.server;

import java.util.function.BooleanSupplier;

/** Waiting in the server's integration tests for something the server does on its own time. */
final class Await {

    private Await() {
    }

    /** Polls {@code condition} every 20 ms for up to {@code timeoutMs}; fails naming {@code what}. */
    static void waitFor(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
