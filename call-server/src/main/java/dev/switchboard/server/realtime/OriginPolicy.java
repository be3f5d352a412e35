package dev.switchboard.server.realtime;

import dev.switchboard.server.observe.LogText;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which browser pages may open Socket.io: the one decision, used by the handshake
 * ({@link SocketHub}) and by {@code GET /api/info} (which tells the dashboard, before it tries,
 * whether its own origin will be refused and why).
 *
 * <ul>
 *   <li>{@code SWITCHBOARD_CORS_ORIGINS} set: exactly those origins (string equality, as browsers
 *       serialize them).</li>
 *   <li>Unset: the dashboard's own origin, whatever name it was opened by: {@code http} or
 *       {@code https}, the host the Socket.io request was sent to (its {@code Host} header, the
 *       page builds the Socket.io URL from its own host name), and the HTTP port (where the
 *       dashboard is served). So {@code http://switchboard-1:8080} may connect to
 *       {@code switchboard-1:8081} with no setting, under docker-compose or on a LAN, while a page
 *       of another site may not.</li>
 * </ul>
 *
 * <p>A request without {@code Origin} is not a browser page (the console, scripts): it is judged
 * by its key alone, like every connection. The origin check is defence in depth, not the
 * authentication: the key is. (With the default a page served by a DNS name that an attacker
 * rebinds to this server passes the check, but it still needs a key it cannot read.)
 *
 * <p>Refusals are logged once per origin (escaped, at most {@link #MAX_LOGGED_ORIGINS} distinct
 * origins, then one line saying further ones are not logged), naming the setting that would allow
 * them. Thread-safe.
 */
public final class OriginPolicy {

    /** The setting an operator changes to allow an origin. */
    public static final String SETTING = "SWITCHBOARD_CORS_ORIGINS";
    /** Distinct refused origins logged; past that a flood of made-up origins cannot fill the log. */
    static final int MAX_LOGGED_ORIGINS = 64;
    /** Longest origin quoted in the log. */
    private static final int MAX_LOGGED_LENGTH = 200;

    /**
     * An origin as browsers serialize it: scheme, host (a name, which may hold {@code _} as docker
     * names do, or a bracketed IPv6 address), optional port; no user, path, query or fragment.
     */
    private static final Pattern ORIGIN =
        Pattern.compile("(?i)(https?)://(\\[[0-9a-f:.]+]|[^\\[\\]:/?#@\\s]+)(?::([0-9]{1,5}))?");

    private static final Logger LOG = Logger.getLogger(OriginPolicy.class.getName());

    private final List<String> listed;
    private final int httpPort;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();

    /**
     * @param listed   {@code SWITCHBOARD_CORS_ORIGINS}, empty for the default
     * @param httpPort the port the dashboard is served on
     */
    public OriginPolicy(List<String> listed, int httpPort) {
        this.listed = List.copyOf(listed);
        this.httpPort = httpPort;
    }

    /**
     * Whether a page of {@code origin} may open Socket.io with a request sent to {@code host}.
     *
     * @param origin the {@code Origin} header; {@code null} (not a browser page) is allowed
     * @param host   the {@code Host} header of the Socket.io request ({@code name[:port]})
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (!listed.isEmpty()) {
            return listed.contains(origin);
        }
        Matcher page = ORIGIN.matcher(origin);
        if (!page.matches()) {
            return false;
        }
        String scheme = page.group(1).toLowerCase(Locale.ROOT);
        int port;
        try {
            port = page.group(3) != null ? Integer.parseInt(page.group(3)) : scheme.equals("https") ? 443 : 80;
        } catch (NumberFormatException e) {
            return false;
        }
        String target = hostName(host);
        return port == httpPort && target != null && target.equalsIgnoreCase(page.group(2));
    }

    /** The name part of a {@code Host} header ({@code [::1]} kept in brackets, as in an origin). */
    private static String hostName(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String h = host.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? null : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    /** What is allowed, for messages: the list, or the default in words. */
    public String describe() {
        return listed.isEmpty()
            ? "only the dashboard's own origin (http or https, this host, port " + httpPort + "), as " + SETTING + " is unset"
            : SETTING + " is " + String.join(",", listed);
    }

    /** Logs that {@code origin} was refused, once per origin. */
    void logRefused(String origin, String host) {
        String shown = LogText.escape(origin.length() > MAX_LOGGED_LENGTH ? origin.substring(0, MAX_LOGGED_LENGTH) + "…" : origin);
        if (logged.size() >= MAX_LOGGED_ORIGINS && !logged.contains(shown)) {
            if (overflowLogged.compareAndSet(false, true)) {
                LOG.warning("Socket.io refused more than " + MAX_LOGGED_ORIGINS + " distinct origins; further ones are not logged");
            }
            return;
        }
        if (logged.add(shown)) {
            LOG.warning("Socket.io refused a page of origin " + shown + " (connecting to " + LogText.escape(host) + "): "
                + describe() + ". To allow it, add it to " + SETTING + " (a comma-separated list of origins, such as "
                + SETTING + "=http://dashboard.example:" + httpPort + ")");
        }
    }
}
