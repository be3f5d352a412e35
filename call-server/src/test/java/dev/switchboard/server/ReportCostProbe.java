package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a report costs: N whole calls ingested through POST /api/events (arrays), then the interval
 * and agent reports over them timed (the best of 3, after one warm-up). Runs only when asked:
 * {@code -Dswitchboard.reportCalls=10000} (see docs/reports.md for the figures).
 */
@EnabledIfSystemProperty(named = "switchboard.reportCalls", matches = "\\d+")
class ReportCostProbe {

    @ParameterizedTest
    @EnumSource(TestServer.Backend.class)
    void reportOverNCalls(TestServer.Backend backend) throws Exception {
        int n = Integer.getInteger("switchboard.reportCalls");
        try (TestServer s = TestServer.start(backend, Map.of("SWITCHBOARD_RING_TIMEOUT", "PT24H",
            "SWITCHBOARD_MAX_HOLD", "PT24H", "SWITCHBOARD_LOG_LEVEL", "WARNING"))) {
            Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            long spacingMs = 3_600_000L / n;   // the calls start spread over one hour
            String[] agents = {"ana_garcia", "luis_martinez", "sofia_lopez", "agent_55"};
            long t0 = System.nanoTime();
            StringBuilder batch = new StringBuilder("[");
            for (int i = 0; i < n; i++) {
                Instant at = start.plusMillis(i * spacingMs);
                String id = "cost-" + i;
                append(batch, id, "a", "call_initiated", at, "{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}");
                append(batch, id, "b", "call_routed", at.plusSeconds(2), "{\"agent_id\":\"" + agents[i % 4] + "\"}");
                append(batch, id, "c", "call_answered", at.plusSeconds(5 + i % 40), "{}");
                append(batch, id, "d", "call_ended", at.plusSeconds(200 + i % 300), "{\"end_reason\":\"completed\"}");
                if ((i + 1) % 100 == 0 || i == n - 1) {
                    batch.setCharAt(batch.length() - 1, ']');
                    HttpResponse<String> r = s.postEvent(batch.toString());
                    assertEquals(200, r.statusCode() / 100 * 100, r.body());
                    batch.setLength(0);
                    batch.append('[');
                }
            }
            double ingestS = (System.nanoTime() - t0) / 1e9;
            String intervals = "/api/reports/intervals?from=" + start + "&interval=PT15M";
            String agentsReport = "/api/reports/agents?from=" + start + "&to=" + start.plus(Duration.ofHours(2));
            double best = time(s, intervals);
            double bestAgents = time(s, agentsReport);
            JsonNode items = Wire.JSON.readTree(s.get(intervals).body()).path("items");
            long offered = 0;
            for (JsonNode i : items) {
                offered += i.path("offered").asLong();
            }
            assertEquals(n, offered, "every call offered once");
            System.out.printf("REPORT COST %s: %d calls (ingested in %.1f s): intervals PT15M over a day %.0f ms, "
                + "agents %.0f ms%n", backend, n, ingestS, best * 1000, bestAgents * 1000);
        }
    }

    private static double time(TestServer s, String path) {
        assertEquals(200, s.get(path).statusCode());   // warm-up
        double best = Double.MAX_VALUE;
        for (int k = 0; k < 3; k++) {
            long t = System.nanoTime();
            HttpResponse<String> r = s.get(path);
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
            assertEquals(200, r.statusCode(), r.body());
        }
        return best;
    }

    private static void append(StringBuilder b, String call, String suffix, String type, Instant at, String data) {
        b.append("{\"event_id\":\"").append(call).append(suffix).append("\",\"type\":\"").append(type)
            .append("\",\"call_id\":\"").append(call).append("\",\"timestamp\":\"").append(at).append("\",\"data\":")
            .append(data).append("},");
    }
}
