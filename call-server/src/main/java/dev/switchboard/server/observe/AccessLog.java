package dev.switchboard.server.observe;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per request: method, path, status, latency, and the call id when there is one
 * (path parameter, or what {@code POST /api/events} noted). Never headers, so never keys. The
 * method, path and call id come from the request: each is escaped ({@link LogText}), so a request
 * cannot write a line of its own into the log.
 */
public final class AccessLog implements Filter {

    private static final Logger LOG = Logger.getLogger("switchboard.access");

    /** The request-context value a handler registers to name the call(s) a request concerned. */
    public record CallNote(String callId) {
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long t0 = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOG.isLoggable(Level.INFO)) {
                String path = req.path().absolute().path();
                String call = req.context().get(CallNote.class).map(CallNote::callId).orElseGet(() -> callOf(path));
                LOG.info(String.format("%s %s %d %.1fms%s", LogText.escape(req.prologue().method().text()),
                    LogText.escape(path), res.status().code(), (System.nanoTime() - t0) / 1e6,
                    call == null ? "" : " call=" + LogText.escape(call)));
            }
        }
    }

    private static String callOf(String path) {
        if (path.startsWith("/api/calls/")) {
            String rest = path.substring("/api/calls/".length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
        return null;
    }
}
