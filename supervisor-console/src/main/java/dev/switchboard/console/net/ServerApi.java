package dev.switchboard.console.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.console.wire.AgentReportItem;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertsAcked;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.IntervalReportItem;
import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.QueueStats;
import dev.switchboard.console.wire.ServerInfo;
import dev.switchboard.console.wire.TodayFigures;
import dev.switchboard.console.wire.Traffic;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
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
    /** The credential's header: {@code X-API-Key} for a key, {@code Authorization} for a session token. */
    private final String credentialHeader;
    private final String credential;
    private final HttpClient http;

    /** A client that calls with an API key. */
    public ServerApi(URI base, String key) {
        this(base, KEY_HEADER, key);
    }

    private ServerApi(URI base, String credentialHeader, String credential) {
        this.base = base;
        this.credentialHeader = credentialHeader;
        this.credential = credential;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client that calls as a signed-in supervisor: {@code Authorization: Bearer <token>}. */
    public static ServerApi withSession(URI base, String token) {
        return new ServerApi(base, "Authorization", "Bearer " + token);
    }

    /**
     * {@code POST /api/session}: signs a named supervisor in; completes with the session token
     * (for {@link #withSession} and the Socket.io handshake), or an {@link ApiException} (401 wrong
     * username or password, 403 disabled, 429 too many failures).
     */
    public static CompletableFuture<String> signIn(URI base, String username, String password) {
        ObjectNode body = Json.object();
        body.put("username", username);
        body.put("password", password);
        HttpRequest r = HttpRequest.newBuilder(base.resolve("/api/session")).timeout(TIMEOUT)
            .header("Content-Type", "application/json").header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
            .sendAsync(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
            .handle((res, failure) -> {
                if (failure != null) {
                    throw ApiException.of(failure);
                }
                return read(res).path("token").asText();
            });
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

    /** {@code GET /api/center}: today's figures for the whole center. */
    public CompletableFuture<TodayFigures> center() {
        return get("/api/center").thenApply(TodayFigures::fromJson);
    }

    /**
     * {@code POST /api/agents/{id}/presence {state, reason}}: the agent as it is after the change.
     *
     * @param presence {@code available}, {@code not_ready} or {@code logged_out}
     * @param reason   only with {@code not_ready}; {@code null} leaves it out
     */
    public CompletableFuture<AgentStats> setPresence(String agentId, String presence, String reason) {
        ObjectNode body = Json.object().put("state", presence);
        if (reason != null) {
            body.put("reason", reason);
        }
        return send(request("/api/agents/" + enc(agentId) + "/presence")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))))
            .thenApply(AgentStats::fromJson);
    }

    /** {@code POST /api/agents/{id}/available} (v1): back from a break; the agent as it is after. */
    public CompletableFuture<AgentStats> setAvailable(String agentId) {
        return send(request("/api/agents/" + enc(agentId) + "/available").POST(HttpRequest.BodyPublishers.noBody()))
            .thenApply(AgentStats::fromJson);
    }

    /**
     * {@code GET /api/reports/intervals?from=&interval=&queue=}: one item per interval and queue of
     * the day {@code from} (midnight to midnight in the center's time zone), in time order then queue order.
     *
     * @param interval {@code PT15M}, {@code PT30M}, {@code PT1H} or {@code P1D}
     * @param queue    one queue, or {@code null} for all
     */
    public CompletableFuture<List<IntervalReportItem>> intervalReport(LocalDate from, String interval, String queue) {
        return get(intervalReportPath(from, interval, queue, false))
            .thenApply(r -> Json.list(r.get("items"), IntervalReportItem::fromJson));
    }

    /** {@code GET /api/reports/agents?from=}: each agent's figures over the day {@code from}. */
    public CompletableFuture<List<AgentReportItem>> agentReport(LocalDate from) {
        return get(agentReportPath(from, false)).thenApply(r -> Json.list(r.get("items"), AgentReportItem::fromJson));
    }

    /** The interval report as the server writes it in CSV ({@code format=csv}): a header row, then the items. */
    public CompletableFuture<String> intervalReportCsv(LocalDate from, String interval, String queue) {
        return sendText(request(intervalReportPath(from, interval, queue, true)).GET());
    }

    /** The agent report in CSV ({@code format=csv}). */
    public CompletableFuture<String> agentReportCsv(LocalDate from) {
        return sendText(request(agentReportPath(from, true)).GET());
    }

    static String intervalReportPath(LocalDate from, String interval, String queue, boolean csv) {
        return "/api/reports/intervals?from=" + from + "&interval=" + enc(interval)
            + (queue == null ? "" : "&queue=" + enc(queue)) + (csv ? "&format=csv" : "");
    }

    static String agentReportPath(LocalDate from, boolean csv) {
        return "/api/reports/agents?from=" + from + (csv ? "&format=csv" : "");
    }

    public CompletableFuture<List<Alert>> openAlerts() {
        return get("/api/alerts?open=true").thenApply(a -> Json.list(a, Alert::fromJson));
    }

    /** {@code GET /api/alerts?limit=}: the newest alerts, open or acknowledged (with {@code acked_by}). */
    public CompletableFuture<List<Alert>> recentAlerts(int limit) {
        return get("/api/alerts?limit=" + limit).thenApply(a -> Json.list(a, Alert::fromJson));
    }

    /**
     * {@code POST /api/alerts/{id}/ack}: the alert with its {@code acked_at}, {@code acked_by} and {@code note}.
     *
     * @param note what the supervisor wrote, {@code null} for none (then no body, as before notes)
     */
    public CompletableFuture<Alert> ack(String alertId, String note) {
        HttpRequest.Builder r = request("/api/alerts/" + enc(alertId) + "/ack");
        if (note == null) {
            r.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Json.object().put("note", note))));
        }
        return send(r).thenApply(Alert::fromJson);
    }

    /**
     * {@code POST /api/alerts/ack {"ids": [...], "note"}}: these alerts acknowledged in one request
     * (one commit on the server); those acknowledged already are left as they are.
     */
    public CompletableFuture<AlertsAcked> ackAlerts(List<String> ids, String note) {
        return send(request("/api/alerts/ack")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(bulkAckBody(ids, note)))))
            .thenApply(AlertsAcked::fromJson);
    }

    /** The body of a bulk acknowledgement: {@code {"ids": [...]}}, with {@code "note"} when there is one. */
    static ObjectNode bulkAckBody(List<String> ids, String note) {
        ObjectNode body = Json.object();
        ids.forEach(body.putArray("ids")::add);
        if (note != null) {
            body.put("note", note);
        }
        return body;
    }

    /** {@code GET /api/traffic}: the server's traffic generator (supervisor or admin). */
    public CompletableFuture<Traffic> traffic() {
        return get("/api/traffic").thenApply(Traffic::fromJson);
    }

    /**
     * {@code POST /api/traffic {"calls_per_minute", "duration"}} (admin): starts the generator, or
     * changes the running one's rate and sets its end to {@code duration} from now.
     */
    public CompletableFuture<Traffic> startTraffic(int callsPerMinute, Duration duration) {
        return send(request("/api/traffic")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(trafficBody(callsPerMinute, duration)))))
            .thenApply(Traffic::fromJson);
    }

    /** {@code DELETE /api/traffic} (admin): stops it; the server ends the calls it was playing. */
    public CompletableFuture<Traffic> stopTraffic() {
        return send(request("/api/traffic").DELETE()).thenApply(Traffic::fromJson);
    }

    /** The body that starts the generator: {@code {"calls_per_minute": 30, "duration": "PT15M"}}. */
    static ObjectNode trafficBody(int callsPerMinute, Duration duration) {
        return Json.object().put("calls_per_minute", callsPerMinute).put("duration", duration.toString());
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
            .header(credentialHeader, credential)
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

    /** A reply that is not JSON (a CSV report): its body as it came; a refusal still reads as problem+json. */
    private CompletableFuture<String> sendText(HttpRequest.Builder b) {
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
            .handle((res, failure) -> {
                if (failure != null) {
                    throw ApiException.of(failure);
                }
                int status = res.statusCode();
                if (status >= 200 && status < 300) {
                    return res.body();
                }
                throw new ApiException(status, problemDetail(status, res.body()));
            });
    }

    private static JsonNode read(HttpResponse<String> res) {
        int status = res.statusCode();
        if (status >= 200 && status < 300) {
            return res.body().isEmpty() ? Json.object() : Json.parse(res.body());
        }
        throw new ApiException(status, problemDetail(status, res.body()));
    }

    /**
     * The problem+json {@code detail} (with the {@code errors} it does not already say, such as the
     * parameter a 400 names), or a plain description of the status.
     */
    static String problemDetail(int status, String body) {
        try {
            JsonNode p = Json.parse(body);
            String detail = p.path("detail").asText("");
            List<String> more = new ArrayList<>();
            for (JsonNode e : p.path("errors")) {
                String field = e.path("field").asText("");
                String message = e.path("message").asText("");
                if (!message.isEmpty() && !detail.contains(message)) {
                    more.add(field.isEmpty() ? message : field + ": " + message);
                }
            }
            String extra = String.join("; ", more);
            if (!detail.isEmpty()) {
                return extra.isEmpty() ? detail : detail + " (" + extra + ")";
            }
            if (!extra.isEmpty()) {
                return extra;
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
