package dev.switchboard.server;

import dev.switchboard.server.http.RateLimiter;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitTest {

    @Test
    void aBucketAllowsItsRateAndRefills() {
        RateLimiter r = new RateLimiter(10);
        long t = 1_000_000_000L;
        for (int i = 0; i < 10; i++) {
            assertEquals(0, r.acquire("k", t));
        }
        assertEquals(1, r.acquire("k", t), "the eleventh within the second waits");
        assertEquals(0, r.acquire("other", t), "keys have their own buckets");
        assertEquals(0, r.acquire("k", t + 100_000_000L), "a tenth of a second refills one token");
        assertEquals(0, new RateLimiter(0).acquire("k", t), "0 turns it off");
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfter() {
        try (TestServer s = TestServer.start(TestServer.Backend.H2, Map.of("SWITCHBOARD_RATE_LIMIT", "5"))) {
            int limited = 0;
            HttpResponse<String> last = null;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = s.get("/api/queues");
                if (r.statusCode() == 429) {
                    limited++;
                    last = r;
                }
            }
            assertTrue(limited >= 10, "limited " + limited);
            assertEquals("1", last.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/problem+json", last.headers().firstValue("Content-Type").orElse(""));
            assertEquals(200, s.get("/api/queues", TestServer.ADMIN_KEY).statusCode(), "another key is not limited");
        }
    }
}
