package dev.switchboard.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the records of one logger (and its children) while it is attached, for tests that
 * check what the server logs. Attach after the server started: Helidon's logging setup resets
 * handlers at start.
 */
public final class LogCapture extends Handler {

    public final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger;

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /** Attaches a capture to the logger {@code name} ("" for the root logger). */
    public static LogCapture on(String name) {
        LogCapture c = new LogCapture(Logger.getLogger(name));
        c.logger.addHandler(c);
        return c;
    }

    /** A capture not attached yet ({@link #attach()} later). */
    public static LogCapture detached(String name) {
        return new LogCapture(Logger.getLogger(name));
    }

    public LogCapture attach() {
        logger.addHandler(this);
        return this;
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
    }

    @Override
    public void flush() {
    }

    /** Detaches it from the logger. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
