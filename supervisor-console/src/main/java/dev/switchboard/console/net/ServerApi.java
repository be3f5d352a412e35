package dev.switchboard.console.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.QueueStats;
import dev.switchboard.console.wire.ServerInfo;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The REST half of the wire contract, over {@code java.net.http}. Every call is asynchronous (the
 * JavaFX thread never waits on the network); a refusal completes the future with an
 * {@link ApiException} carrying the server's problem+json {@code detail}.
 */
public final class ServerApi {

    public static final String KEY_HEADER = "X-API-Key";
    /** Page size when reading calls; the server allows up to 500. */
    static final int PAGE = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI base;
    private final String key;
    private final HttpClient http;

    public ServerApi(URI base, String key) {
        this.base = base;
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Reads what a person typed as the server's address: {@code 127.0.0.1:8080} and
     * {@code http://host:8080/} both give {@code http://host:8080}.
     *
     * @throws IllegalArgumentException with a message for the person
     */
    public static URI parseServerUrl(String typed) {
        String s = typed == null ? "" : typed.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("Enter the server's address, such as http://127.0.0.1:8080");
        }
        if (!s.contains("://")) {
            s = "http://" + s;
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        try {
            URI u = new URI(s);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new IllegalArgumentException("The address must look like http://host:8080");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The address must look like http://host:8080");
        }
    }

    /** The Socket.io endpoint: the server's host on the socket port it announced. */
    public URI socketUri(ServerInfo info) {
        return URI.create(base.getScheme() + "://" + base.getHost() + ":" + info.socketPort());
    }

    public URI base() {
        return base;
    }

    /** {@code GET /api/info}: any valid key may ask; how the console signs in. */
    public CompletableFuture<ServerInfo> info() {
        return get("/api/info").thenApply(ServerInfo::fromJson);
    }

    /**
     * {@code GET /api/calls?status=…}, following {@code next_cursor} until {@code max} calls.
     *
     * @param statuses comma-separated statuses, e.g. {@code waiting,active,on_hold}
     */
    public CompletableFuture<List<Call>> calls(String statuses, int max) {
        return callPages(statuses, max, null, new ArrayList<>());
    }

    private CompletableFuture<List<Call>> callPages(String statuses, int max, String cursor, List<Call> acc) {
        int limit = Math.min(PAGE, max - acc.size());
        String path = "/api/calls?status=" + enc(statuses) + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
        return get(path).thenCompose(page -> {
            acc.addAll(Json.list(page.get("items"), Call::fromJson));
            String next = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
            if (next == null || acc.size() >= max) {
                return CompletableFuture.completedFuture(List.copyOf(acc));
            }
            return callPages(statuses, max, next, acc);
        });
    }

    /** {@code GET /api/calls/{id}}: completes with an {@link ApiException} of status 404 for an unknown call. */
    public CompletableFuture<Call> call(String callId) {
        return get("/api/calls/" + enc(callId)).thenApply(Call::fromJson);
    }

    /** {@code GET /api/calls/{id}/events}: the call's whole history, in order. */
    public CompletableFuture<List<CallEvent>> history(String callId) {
        return get("/api/calls/" + enc(callId) + "/events").thenApply(a -> Json.list(a, CallEvent::fromJson));
    }

    public CompletableFuture<List<QueueStats>> queues() {
        return get("/api/queues").thenApply(a -> Json.list(a, QueueStats::fromJson));
    }

    public CompletableFuture<List<AgentStats>> agents() {
        return get("/api/agents").thenApply(a -> Json.list(a, AgentStats::fromJson));
    }

    public CompletableFuture<List<Alert>> openAlerts() {
        return get("/api/alerts?open=true").thenApply(a -> Json.list(a, Alert::fromJson));
    }

    /** {@code GET /api/alerts?limit=}: the newest alerts, open or acknowledged (with {@code acked_by}). */
    public CompletableFuture<List<Alert>> recentAlerts(int limit) {
        return get("/api/alerts?limit=" + limit).thenApply(a -> Json.list(a, Alert::fromJson));
    }

    /** {@code POST /api/alerts/{id}/ack}: the alert with its {@code acked_at} and {@code acked_by}. */
    public CompletableFuture<Alert> ack(String alertId) {
        return send(request("/api/alerts/" + enc(alertId) + "/ack").POST(HttpRequest.BodyPublishers.noBody()))
            .thenApply(Alert::fromJson);
    }

    /** {@code POST /api/events}: the reply {@code {event, call, alerts, duplicate}}. */
    public CompletableFuture<JsonNode> postEvent(ObjectNode event) {
        return send(request("/api/events")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(event))));
    }

    private CompletableFuture<JsonNode> get(String path) {
        return send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
            .header(KEY_HEADER, key)
            .header("Accept", "application/json");
    }

    private CompletableFuture<JsonNode> send(HttpRequest.Builder b) {
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
            .handle((res, failure) -> {
                if (failure != null) {
                    throw ApiException.of(failure);
                }
                return read(res);
            });
    }

    private static JsonNode read(HttpResponse<String> res) {
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            return res.body().isEmpty() ? Json.object() : Json.parse(res.body());
        }
        throw new ApiException(status, problemDetail(status, res.body()));
    }

    /** The problem+json {@code detail}, or a plain description of the status. */
    static String problemDetail(int status, String body) {
        try {
            JsonNode p = Json.parse(body);
            String detail = p.path("detail").asText("");
            if (!detail.isEmpty()) {
                return detail;
            }
        } catch (RuntimeException notJson) {
            // fall through to the status
        }
        return switch (status) {
            case 401 -> "the key is not valid for this server";
            case 403 -> "this key may not do that";
            default -> "the server answered " + status;
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
