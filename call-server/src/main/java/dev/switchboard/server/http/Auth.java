package dev.switchboard.server.http;

import dev.switchboard.server.config.ApiKey;
import dev.switchboard.server.users.Accounts;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Who calls: every request under {@code /api} needs credentials (401 otherwise), then each route
 * names the role it needs (403 otherwise). Credentials are, in this order:
 * <ol>
 *   <li>an API key in {@code X-API-Key} (integrations, tests): compared in constant time, never logged;</li>
 *   <li>a named supervisor's session token (see {@link Accounts}) in {@code Authorization: Bearer},</li>
 *   <li>or in the {@value #SESSION_COOKIE} cookie (HttpOnly, SameSite=Strict, set at sign-in).</li>
 * </ol>
 * Only {@code POST /api/session} (signing in) and the OpenAPI document need none. A session's
 * caller acts under its username, a key's under the key's fingerprint: that is who the log names.
 */
public final class Auth implements Filter {

    public static final String HEADER = "X-API-Key";
    /** The cookie a sign-in sets (HttpOnly, SameSite=Strict). */
    public static final String SESSION_COOKIE = "sb_session";
    private static final String BEARER = "Bearer ";
    private static final String MISSING = "missing credentials: an " + HEADER + " header, or a session token "
        + "(Authorization: Bearer, or the " + SESSION_COOKIE + " cookie) from POST /api/session";

    private final List<ApiKey> keys;
    /** Each key's fingerprint, computed once (a SHA-256 per request was measurable on the ingest path). */
    private final java.util.Map<ApiKey, String> fingerprints = new java.util.HashMap<>();
    private final Accounts accounts;
    private final Consumer<String> rejectionCounter;
    private final RateLimiter limiter;

    public Auth(List<ApiKey> keys, Accounts accounts, Consumer<String> rejectionCounter, RateLimiter limiter) {
        this.keys = List.copyOf(keys);
        for (ApiKey k : this.keys) {
            fingerprints.put(k, k.fingerprint());
        }
        this.accounts = accounts;
        this.rejectionCounter = rejectionCounter;
        this.limiter = limiter;
    }

    /** The key's role, comparing against every configured key (no early exit). */
    public Optional<ApiKey.Role> roleOf(String candidate) {
        return keyOf(candidate).map(ApiKey::role);
    }

    /** The configured key matching {@code candidate}, comparing against every key (no early exit). */
    private Optional<ApiKey> keyOf(String candidate) {
        ApiKey found = null;
        for (ApiKey k : keys) {
            if (k.matches(candidate)) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().absolute().path();
        if (!path.equals("/api") && !path.startsWith("/api/") || path.equals("/api/openapi.yaml")
            || path.equals("/api/session") && req.prologue().method() == io.helidon.http.Method.POST) {
            chain.proceed();   // signing in needs no credentials (it is throttled by Accounts)
            return;
        }
        String key = req.headers().first(io.helidon.http.HeaderNames.create(HEADER)).orElse(null);
        Caller caller;
        String limited;
        if (key != null) {
            Optional<ApiKey> apiKey = keyOf(key);
            if (apiKey.isEmpty()) {
                unauthorized(req, res, "invalid API key");
                return;
            }
            caller = new Caller(apiKey.get().role(), fingerprints.get(apiKey.get()), null);
            limited = key;
        } else {
            String token = sessionToken(req);
            if (token == null) {
                unauthorized(req, res, MISSING);
                return;
            }
            Optional<Accounts.User> user = accounts.userOf(token);
            if (user.isEmpty()) {
                unauthorized(req, res, "the session has ended or is unknown (signed out, expired, or the account was "
                    + "disabled or its password reset): sign in again");
                return;
            }
            caller = new Caller(user.get().role(), user.get().username(), user.get().username());
            limited = "user:" + user.get().username();
        }
        long wait = limiter.acquire(limited, System.nanoTime());
        if (wait > 0) {
            rejectionCounter.accept("rate_limited");
            Problems.send(req, res, new ApiProblem(429, "Too Many Requests",
                (caller.username() == null ? "this key" : "this user") + " is over its request rate; retry after "
                    + wait + " s", List.of(), (int) wait));
            return;
        }
        req.context().register(caller);
        chain.proceed();
    }

    private void unauthorized(RoutingRequest req, RoutingResponse res, String why) {
        rejectionCounter.accept("unauthorized");
        Problems.send(req, res, new ApiProblem(401, "Unauthorized", why, List.of()));
    }

    /**
     * The session token of a request: {@code Authorization: Bearer …}, else the
     * {@value #SESSION_COOKIE} cookie; {@code null} when it carries neither.
     */
    public static String sessionToken(ServerRequest req) {
        return sessionToken(req.headers());
    }

    private static String sessionToken(io.helidon.http.Headers headers) {
        Optional<String> authorization = headers.first(io.helidon.http.HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.get().substring(BEARER.length()).strip();
        }
        return cookie(headers.first(io.helidon.http.HeaderNames.COOKIE).orElse(null));
    }

    /** The {@value #SESSION_COOKIE} value in a {@code Cookie} header, or {@code null}. */
    public static String cookie(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.strip();
            if (p.startsWith(SESSION_COOKIE + "=")) {
                String v = p.substring(SESSION_COOKIE.length() + 1);
                return v.isEmpty() ? null : v;
            }
        }
        return null;
    }

    /**
     * Who is calling (registered in the request context by the filter).
     *
     * @param actor    how the log names the caller: the username of a session, else the key's
     *                 fingerprint ({@code key:} and 8 hex digits, never the key); a username never
     *                 contains {@code :}, so the two cannot be confused
     * @param username the named supervisor, {@code null} for an API key
     */
    public record Caller(ApiKey.Role role, String actor, String username) {
    }

    /** The caller of a request that passed the filter. */
    public static Caller callerOf(ServerRequest req) {
        return req.context().get(Caller.class).orElseThrow(() -> new IllegalStateException("no caller on " + req.path()));
    }

    /** Wraps a handler so it runs only for keys that may post events. */
    public Handler ingest(Handler h) {
        return guarded(h, true);
    }

    /** Wraps a handler so it runs only for keys that may read and act as a supervisor. */
    public Handler supervisor(Handler h) {
        return guarded(h, false);
    }

    /** Wraps a handler so it runs for any valid key (every role). */
    public Handler any(Handler h) {
        return guarded(h, role -> true, "call this");
    }

    /** Wraps a handler so it runs only for admin keys. */
    public Handler admin(Handler h) {
        return guarded(h, ApiKey.Role.ADMIN::equals, "administer integrations (needs admin)");
    }

    private Handler guarded(Handler h, boolean ingest) {
        return ingest ? guarded(h, ApiKey.Role::canIngest, "post events (needs ingest or admin)")
            : guarded(h, ApiKey.Role::canSupervise, "read or act as a supervisor (needs supervisor or admin)");
    }

    private Handler guarded(Handler h, java.util.function.Predicate<ApiKey.Role> allowed, String what) {
        return (req, res) -> {
            Caller caller = callerOrThrow(req);
            ApiKey.Role role = caller.role();
            if (!allowed.test(role)) {
                rejectionCounter.accept("forbidden");
                throw new ApiProblem(403, "Forbidden", (caller.username() == null ? "this key's role (" : "this user's role (")
                    + role.wireName() + ") may not " + what, List.of());
            }
            h.handle(req, res);
        };
    }

    private static Caller callerOrThrow(ServerRequest req) {
        return req.context().get(Caller.class)
            .orElseThrow(() -> new ApiProblem(401, "Unauthorized", MISSING, List.of()));
    }
}
