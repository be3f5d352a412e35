package dev.switchboard.server.http;

import dev.switchboard.server.config.ApiKey;
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
 * API keys: every request under {@code /api} needs a valid {@code X-API-Key} (401 otherwise);
 * each route then names the role it needs (403 otherwise). Keys are compared in constant time
 * and never logged.
 */
public final class Auth implements Filter {

    public static final String HEADER = "X-API-Key";

    private final List<ApiKey> keys;
    private final Consumer<String> rejectionCounter;
    private final RateLimiter limiter;

    public Auth(List<ApiKey> keys, Consumer<String> rejectionCounter, RateLimiter limiter) {
        this.keys = List.copyOf(keys);
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
        if (!path.equals("/api") && !path.startsWith("/api/") || path.equals("/api/openapi.yaml")) {
            chain.proceed();
            return;
        }
        String key = req.headers().first(io.helidon.http.HeaderNames.create(HEADER)).orElse(null);
        Optional<ApiKey> apiKey = key == null ? Optional.empty() : keyOf(key);
        if (apiKey.isEmpty()) {
            rejectionCounter.accept("unauthorized");
            Problems.send(req, res, new ApiProblem(401, "Unauthorized",
                key == null ? "missing " + HEADER + " header" : "invalid API key", List.of()));
            return;
        }
        long wait = limiter.acquire(key, System.nanoTime());
        if (wait > 0) {
            rejectionCounter.accept("rate_limited");
            Problems.send(req, res, new ApiProblem(429, "Too Many Requests",
                "this key is over its request rate; retry after " + wait + " s", List.of(), (int) wait));
            return;
        }
        req.context().register(new Caller(apiKey.get().role(), apiKey.get().fingerprint()));
        chain.proceed();
    }

    /**
     * Who is calling (registered in the request context by the filter).
     *
     * @param actor how the log names the caller: the key's fingerprint, never the key
     */
    public record Caller(ApiKey.Role role, String actor) {
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
            ApiKey.Role role = caller(req);
            if (!allowed.test(role)) {
                rejectionCounter.accept("forbidden");
                throw new ApiProblem(403, "Forbidden", "this key's role (" + role.wireName() + ") may not " + what,
                    List.of());
            }
            h.handle(req, res);
        };
    }

    private static ApiKey.Role caller(ServerRequest req) {
        return req.context().get(Caller.class).map(Caller::role)
            .orElseThrow(() -> new ApiProblem(401, "Unauthorized", "missing " + HEADER + " header", List.of()));
    }
}
