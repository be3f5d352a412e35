package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Full call lifecycles as load: initiated, routed, answered, hold, resumed, ended; each event with
 * an {@code event_id} of its own so any of them can be resent safely.
 */
final class Lifecycles {

    static final String[] QUEUES = {"medical_spanish", "medical_english", "legal_french"};
    static final String[] TYPES = {"call_initiated", "call_routed", "call_answered", "call_hold", "call_resumed", "call_ended"};
    static final int STEPS = TYPES.length;

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Lifecycles() {
    }

    static String eventId(String callId, int step) {
        return callId + "-" + step;
    }

    /** The JSON of step {@code step} (0..5) of call {@code callId}. */
    static String event(String callId, int step) {
        String queue = QUEUES[Math.floorMod(callId.hashCode(), QUEUES.length)];
        String data = switch (step) {
            case 0 -> "{\"type\":\"voice\",\"queue_id\":\"" + queue + "\"}";
            case 1 -> "{\"agent_id\":\"load-agent-" + Math.floorMod(callId.hashCode(), 50) + "\"}";
            case 5 -> "{\"end_reason\":\"completed\",\"duration\":120}";
            default -> "{}";
        };
        return "{\"event_id\":\"" + eventId(callId, step) + "\",\"type\":\"" + TYPES[step] + "\",\"call_id\":\"" + callId
            + "\",\"data\":" + data + "}";
    }

    /** POSTs one event; the status, or empty when no reply came (connection refused or reset). */
    static Optional<Integer> post(String baseUrl, String body) {
        return post(baseUrl, body, Duration.ofSeconds(30));
    }

    /** POSTs one event; the status, or empty when no reply came in {@code timeout} (refused, reset, hung). */
    static Optional<Integer> post(String baseUrl, String body, Duration timeout) {
        try {
            HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/events"))
                .timeout(timeout)
                .header("X-API-Key", TestServer.INGEST_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.discarding());
            return Optional.of(r.statusCode());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
