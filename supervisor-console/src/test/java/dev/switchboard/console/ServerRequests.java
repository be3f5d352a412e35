package dev.switchboard.console;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The requests a real call-server running in this JVM answered, as its access log writes them
 * ({@code POST /api/alerts/ack 200 3.1ms}): how a test sees how many requests the console made,
 * on the server's side. The tests' server quiets that log; this turns it on while open.
 */
final class ServerRequests implements AutoCloseable {

    private static final Logger ACCESS = Logger.getLogger("switchboard.access");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level before = ACCESS.getLevel();
    private final boolean parentHandlers = ACCESS.getUseParentHandlers();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    ServerRequests() {
        ACCESS.setUseParentHandlers(false);
        ACCESS.addHandler(handler);
        ACCESS.setLevel(Level.INFO);
    }

    /** How many requests began with {@code methodAndPath} (e.g. {@code "POST /api/alerts/ack "}). */
    long count(String methodAndPathPrefix) {
        return lines.stream().filter(l -> l.startsWith(methodAndPathPrefix)).count();
    }

    /** How many requests matched {@code regex} (the whole line). */
    long matching(String regex) {
        return lines.stream().filter(l -> l.matches(regex)).count();
    }

    @Override
    public void close() {
        ACCESS.setLevel(before);
        ACCESS.removeHandler(handler);
        ACCESS.setUseParentHandlers(parentHandlers);
    }
}
