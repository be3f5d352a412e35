package dev.switchboard.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request rate limiting: a token bucket per API key, refilled at {@code perSecond}
 * tokens a second, holding at most one second's worth (the burst).
 */
public final class RateLimiter {

    private final double perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond requests a second per key; 0 turns limiting off */
    public RateLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /**
     * Takes a token for {@code key}.
     *
     * @return 0 if allowed, else the whole seconds to wait (for {@code Retry-After})
     */
    public long acquire(String key, long nowNanos) {
        if (perSecond <= 0) {
            return 0;
        }
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, nowNanos));
        synchronized (b) {
            b.tokens = Math.min(perSecond, b.tokens + (nowNanos - b.lastNanos) / 1e9 * perSecond);
            b.lastNanos = nowNanos;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
        }
    }

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }
}
