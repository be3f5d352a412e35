package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.Presence;
import dev.switchboard.core.metrics.QueueMetrics;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.ingest.SupervisorAction;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.FieldError;
import dev.switchboard.server.wire.Wire;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The center as a whole: queues and agents with live metrics, alerts and their acknowledgement.
 *
 * <pre>
 * GET  /api/info                    any valid key: role, socket_port, socket_origin
 * GET  /api/queues
 * GET  /api/agents
 * POST /api/agents/{id}/available     back from break
 * POST /api/agents/{id}/presence      {state, reason}: any role (ingest: the agent's desktop)
 * GET  /api/center                    the whole center's figures today
 * PUT  /api/queues/{id}               admin: create or change a queue
 * DELETE /api/queues/{id}             admin: delete a queue without live calls
 * GET  /api/alerts?open=true&amp;limit=…   open: neither acknowledged nor resolved
 * POST /api/alerts/{id}/ack            optional body {note}
 * POST /api/alerts/ack                 bulk: {ids} | {queue_id?, kind?} | {all: true}, optional note
 * </pre>
 */
public final class CenterService implements HttpService {

    private final Ingestor ingestor;
    private final Store store;
    private final Auth auth;
    private final SocketHub hub;
    private final int socketPort;
    private final long maxBodyBytes;

    /** A not-ready reason: letters, digits, {@code _ -} and spaces, 1–64 characters. */
    static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("[A-Za-z0-9_ -]{1,64}");

    /** The wire contract's version. */
    public static final String VERSION = "v1";

    public CenterService(Ingestor ingestor, Store store, Auth auth, SocketHub hub, int socketPort, long maxBodyBytes) {
        this.socketPort = socketPort;
        this.maxBodyBytes = maxBodyBytes;
        this.ingestor = ingestor;
        this.store = store;
        this.auth = auth;
        this.hub = hub;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/info", Params.only(this::info))
            .get("/queues", auth.supervisor(Params.only(this::queues)))
            .get("/agents", auth.supervisor(Params.only(this::agents)))
            .post("/agents/{id}/available", auth.supervisor(Params.only(this::available)))
            .post("/agents/{id}/presence", auth.any(Params.only(this::presence)))
            .get("/center", auth.supervisor(Params.only(this::center)))
            .put("/queues/{id}", auth.admin(Params.only(this::putQueue)))
            .delete("/queues/{id}", auth.admin(Params.only(this::deleteQueue)))
            .get("/alerts", auth.supervisor(Params.only(this::alerts, "open", "limit")))
            .post("/alerts/ack", auth.supervisor(Params.only(this::bulkAck)))
            .post("/alerts/{id}/ack", auth.supervisor(Params.only(this::ack)));
    }

    /** Queues with thresholds and live metrics, as pushed in {@code metrics}. */
    public static ArrayNode queuesJson(CallEngine engine) {
        Map<String, QueueMetrics> metrics = engine.queueMetrics().stream()
            .collect(Collectors.toMap(QueueMetrics::queueId, Function.identity()));
        ArrayNode out = Wire.array();
        for (QueueConfig q : engine.queues().all()) {
            QueueMetrics m = metrics.get(q.id());
            if (m != null) {
                out.add(Wire.queue(q, engine.thresholdsFor(q.id()), m, engine.timeZone()));
            }
        }
        return out;
    }

    /** The whole center's figures today: a queue's metrics for all queues together ({@code queue_id} null). */
    public static ObjectNode centerJson(CallEngine engine) {
        return Wire.queueMetrics(engine.centerMetrics(), engine.timeZone());
    }

    public static ArrayNode agentsJson(CallEngine engine) {
        ArrayNode out = Wire.array();
        for (AgentMetrics a : engine.agentMetrics()) {
            out.add(Wire.agent(a));
        }
        return out;
    }

    /** Any valid key: who am I, and where is the Socket.io endpoint (clients use it to sign in). */
    private void info(ServerRequest req, ServerResponse res) {
        ObjectNode body = Wire.object();
        body.put("service", "switchboard");
        body.put("version", VERSION);
        body.put("role", req.context().get(Auth.Caller.class).map(c -> c.role().wireName()).orElse(null));
        body.put("socket_port", socketPort);
        body.put("server_time", java.time.Instant.now().toString());
        body.set("socket_origin", socketOrigin(req));
        Json.send(res, body);
    }

    /**
     * {@code {origin, allowed}}: whether Socket.io will accept a page of the origin this request
     * came from. The dashboard asks at sign-in because a browser never lets a page see why a
     * handshake failed (netty-socketio answers a bare 401 without CORS headers, and a websocket
     * refusal has no readable status), so it could only say "offline". The page's origin is the
     * request's {@code Origin}, or, for a same-origin GET (which carries none), its scheme and
     * {@code Host}; the Socket.io host it will connect to is this request's host.
     */
    private ObjectNode socketOrigin(ServerRequest req) {
        String host = req.headers().first(io.helidon.http.HeaderNames.HOST).orElse(null);
        String origin = req.headers().first(io.helidon.http.HeaderNames.ORIGIN)
            .orElse(host == null ? null : (req.isSecure() ? "https://" : "http://") + host);
        ObjectNode n = Wire.object();
        n.put("origin", origin);
        n.put("allowed", origin == null || hub.origins().allows(origin, host));
        return n;
    }

    private void queues(ServerRequest req, ServerResponse res) {
        Json.send(res, ingestor.withEngine(CenterService::queuesJson));
    }

    private void agents(ServerRequest req, ServerResponse res) {
        Json.send(res, ingestor.withEngine(CenterService::agentsJson));
    }

    /** Logged (with who did it), applied and pushed in order; lasts across restarts. */
    private void available(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "agent");
        if (!ingestor.withEngine(engine -> engine.knowsAgent(id))) {
            throw ApiProblem.notFound("unknown agent '" + id + "'");
        }
        Auth.Caller caller = Auth.callerOf(req);
        Outcome outcome = ingestor.act(new SupervisorAction.AgentAvailable(id, caller.actor(), caller.role().wireName(),
            System.currentTimeMillis()));
        if (outcome instanceof Outcome.Unavailable u) {
            throw ApiProblem.unavailable(u.reason());
        }
        Json.send(res, ingestor.withEngine(engine -> engine.agentMetrics(id).map(Wire::agent).orElseThrow()));
    }

    private void center(ServerRequest req, ServerResponse res) {
        Json.send(res, ingestor.withEngine(CenterService::centerJson));
    }

    /**
     * Sets an agent's presence: logged, applied and pushed in order, lasting across restarts. The
     * presence the agent is in already (same reason) changes nothing and answers the agent as it is.
     */
    private void presence(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "agent");
        if (!dev.switchboard.server.wire.QueueJson.ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("id", "agent ids are 1-128 letters, digits or . _ : -");
        }
        JsonNode body = JsonBody.read(req, maxBodyBytes, ingestor::countRejected);
        List<FieldError> errors = new ArrayList<>();
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("state") && !f.equals("reason")) {
                errors.add(new FieldError(f, "unknown field (expected state, reason)"));
            }
        }
        Presence presence = null;
        JsonNode state = body.get("state");
        if (state == null || !state.isTextual()) {
            errors.add(new FieldError("state", "is required: logged_out, available or not_ready"));
        } else {
            presence = switch (state.asText()) {
                case "logged_out" -> Presence.LOGGED_OUT;
                case "available" -> Presence.AVAILABLE;
                case "not_ready" -> Presence.NOT_READY;
                default -> {
                    errors.add(new FieldError("state", "must be logged_out, available or not_ready (wrap_up follows a call "
                        + "by itself), got '" + state.asText() + "'"));
                    yield null;
                }
            };
        }
        String reason = null;
        JsonNode r = body.get("reason");
        if (r != null && !r.isNull()) {
            if (presence != null && presence != Presence.NOT_READY) {
                errors.add(new FieldError("reason", "is only for state not_ready"));
            } else if (!r.isTextual() || !REASON.matcher(r.asText()).matches() || r.asText().isBlank()) {
                errors.add(new FieldError("reason", "must be 1-64 letters, digits, _, - or spaces"));
            } else {
                reason = r.asText().strip();
            }
        }
        if (!errors.isEmpty()) {
            ingestor.countRejected("invalid");
            throw ApiProblem.badRequest("invalid presence", errors);
        }
        String why = presence == Presence.NOT_READY ? (reason == null ? Presence.NOT_READY.wireName() : reason) : null;
        Presence p = presence;
        boolean same = ingestor.withEngine(engine -> engine.agentMetrics(id)
            .map(a -> a.presence() == p && java.util.Objects.equals(a.reason(), why)).orElse(false));
        if (!same) {
            Auth.Caller caller = Auth.callerOf(req);
            String source = caller.role() == dev.switchboard.server.config.ApiKey.Role.INGEST
                ? dev.switchboard.server.wire.History.SOURCE_AGENT : dev.switchboard.server.wire.History.SOURCE_SUPERVISOR;
            Outcome outcome = ingestor.act(new SupervisorAction.PresenceChange(id, presence, why, source, caller.actor(),
                caller.role().wireName(), System.currentTimeMillis()));
            if (outcome instanceof Outcome.Unavailable u) {
                throw ApiProblem.unavailable(u.reason());
            }
        }
        Json.send(res, ingestor.withEngine(engine -> engine.agentMetrics(id).map(Wire::agent).orElseThrow()));
    }

    /** Creates ({@code 201}) or changes ({@code 200}) a queue; answers the Queue JSON. */
    private void putQueue(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "queue");
        if (!dev.switchboard.server.wire.QueueJson.ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("id", "queue ids are 1-128 letters, digits or . _ : -");
        }
        JsonNode body = JsonBody.read(req, maxBodyBytes, ingestor::countRejected);
        QueueConfig queue;
        try {
            queue = dev.switchboard.server.wire.QueueJson.parse(id, body,
                ingestor.withEngine(CallEngine::defaultThresholds));
        } catch (dev.switchboard.server.wire.QueueJson.Invalid e) {
            ingestor.countRejected("invalid");
            throw ApiProblem.badRequest("invalid queue", e.errors().stream()
                .map(m -> new FieldError(m.get("field"), m.get("message"))).toList());
        }
        boolean created = !ingestor.withEngine(engine -> engine.queues().exists(id));
        Auth.Caller caller = Auth.callerOf(req);
        Outcome outcome = ingestor.act(new SupervisorAction.QueueChange(queue, created, caller.actor(),
            caller.role().wireName(), System.currentTimeMillis()));
        if (outcome instanceof Outcome.Unavailable u) {
            throw ApiProblem.unavailable(u.reason());
        }
        Json.send(res, created ? io.helidon.http.Status.CREATED_201 : io.helidon.http.Status.OK_200,
            (JsonNode) ingestor.withEngine(engine -> queueJson(engine, id)));
    }

    /** Deletes a queue without live calls ({@code 204}); {@code 409} while calls are in it. */
    private void deleteQueue(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "queue");
        if (!ingestor.withEngine(engine -> engine.queues().exists(id))) {
            throw ApiProblem.notFound("unknown queue '" + id + "'");
        }
        Auth.Caller caller = Auth.callerOf(req);
        Outcome outcome = ingestor.act(new SupervisorAction.QueueDelete(id, caller.actor(), caller.role().wireName(),
            System.currentTimeMillis()));
        switch (outcome) {
            case Outcome.Unavailable u -> throw ApiProblem.unavailable(u.reason());
            case Outcome.Rejected r -> throw new ApiProblem(409, "Conflict", r.rejection().message(), List.of());
            default -> {
                res.status(io.helidon.http.Status.NO_CONTENT_204);
                res.send();
            }
        }
    }

    /** One queue as listed (configuration, thresholds, today's figures). */
    static ObjectNode queueJson(CallEngine engine, String id) {
        QueueConfig q = engine.queues().find(id).orElseThrow();
        QueueMetrics m = engine.queueMetrics().stream().filter(x -> x.queueId().equals(id)).findFirst().orElseThrow();
        return Wire.queue(q, engine.thresholdsFor(id), m, engine.timeZone());
    }

    private void alerts(ServerRequest req, ServerResponse res) {
        String open = Params.string(req, "open");
        if (open != null && !open.equals("true") && !open.equals("false")) {
            throw ApiProblem.badRequest("open", "must be true or false");
        }
        int limit = Params.integer(req, "limit", 200, 1, 1000);
        ArrayNode out = Wire.array();
        for (Store.StoredAlert a : store.alerts("true".equals(open), limit)) {
            out.add(alertJson(a));
        }
        Json.send(res, out);
    }

    /**
     * Logged (with who did it) and pushed in seq order; acknowledging an acknowledged alert
     * changes nothing and answers it as it is.
     */
    private void ack(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "alert");
        String note = null;
        // no body, or an empty one (as before notes existed): no note
        if (req.content().hasEntity() && req.headers().contentLength().orElse(1) > 0) {
            JsonNode body = JsonBody.read(req, maxBodyBytes, ingestor::countRejected);
            List<FieldError> errors = new ArrayList<>();
            if (!body.isObject()) {
                errors.add(new FieldError("", "must be a JSON object: {\"note\": \"...\"} or nothing"));
            } else {
                unknownFields(body, List.of("note"), errors);
                note = note(body, errors);
            }
            if (!errors.isEmpty()) {
                ingestor.countRejected("invalid");
                throw ApiProblem.badRequest("invalid acknowledgement", errors);
            }
        }
        Store.StoredAlert a = store.alert(id).orElseThrow(() -> ApiProblem.notFound("unknown alert '" + id + "'"));
        if (a.ackedAtMs() == null) {
            acknowledge(req, List.of(a), note);
            a = store.alert(id).orElseThrow(() -> ApiProblem.notFound("unknown alert '" + id + "'"));
        }
        Json.send(res, alertJson(a));
    }

    /** Most alerts one bulk acknowledgement takes (ids listed, or open alerts selected, oldest first). */
    static final int MAX_BULK_ACK = 1000;

    /**
     * Acknowledges many alerts at once: the ones listed ({@code ids}; those acknowledged already are
     * left as they are), or the open ones of a queue and/or kind, or all open ones (oldest first, at
     * most {@link #MAX_BULK_ACK}: {@code remaining} says how many open ones are left). All of them in
     * one commit, each an {@code alert_acked} entry of its call's history naming who did it, pushed
     * in seq order. A body that does not say which alerts, or names an unknown one, is refused
     * whole (400): nothing is acknowledged.
     */
    private void bulkAck(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBody.read(req, maxBodyBytes, ingestor::countRejected);
        List<FieldError> errors = new ArrayList<>();
        if (!body.isObject()) {
            ingestor.countRejected("invalid");
            throw ApiProblem.badRequest("", "must be a JSON object: {ids}, {queue_id, kind} or {all: true}, with an "
                + "optional note");
        }
        unknownFields(body, List.of("ids", "queue_id", "kind", "all", "note"), errors);
        String note = note(body, errors);
        JsonNode ids = body.get("ids");
        JsonNode queue = body.get("queue_id");
        JsonNode kind = body.get("kind");
        JsonNode all = body.get("all");
        boolean byFilter = queue != null || kind != null;
        int ways = (ids != null ? 1 : 0) + (byFilter ? 1 : 0) + (all != null ? 1 : 0);
        if (ways == 0) {
            errors.add(new FieldError("", "say which alerts: ids, queue_id and/or kind, or all: true"));
        } else if (ways > 1) {
            errors.add(new FieldError("", "ids, queue_id/kind and all are alternatives: give one"));
        }
        List<String> wanted = new ArrayList<>();
        if (ids != null) {
            if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_BULK_ACK) {
                errors.add(new FieldError("ids", "must be an array of 1 to " + MAX_BULK_ACK + " alert ids"));
            } else {
                for (int i = 0; i < ids.size(); i++) {
                    JsonNode one = ids.get(i);
                    if (!one.isTextual() || one.asText().isEmpty() || one.asText().length() > 200) {
                        errors.add(new FieldError("ids[" + i + "]", "must be an alert id (1-200 characters)"));
                    } else if (!wanted.contains(one.asText())) {
                        wanted.add(one.asText());
                    }
                }
            }
        }
        if (queue != null && (!queue.isTextual() || !dev.switchboard.server.wire.QueueJson.ID.matcher(queue.asText()).matches())) {
            errors.add(new FieldError("queue_id", "must be a queue id (1-128 letters, digits or . _ : -)"));
        }
        if (kind != null && (!kind.isTextual() || dev.switchboard.core.rules.AlertKind.fromWire(kind.asText()).isEmpty())) {
            errors.add(new FieldError("kind", "must be one of " + java.util.Arrays.stream(
                dev.switchboard.core.rules.AlertKind.values()).map(dev.switchboard.core.rules.AlertKind::wireName)
                .collect(Collectors.joining(", "))));
        }
        if (all != null && !(all.isBoolean() && all.asBoolean())) {
            errors.add(new FieldError("all", "must be true (to acknowledge every open alert)"));
        }
        List<Store.StoredAlert> chosen = new ArrayList<>();
        if (errors.isEmpty() && ids != null) {
            for (int i = 0; i < wanted.size(); i++) {
                String id = wanted.get(i);
                java.util.Optional<Store.StoredAlert> a = store.alert(id);
                if (a.isEmpty()) {
                    errors.add(new FieldError("ids", "unknown alert '" + id + "'"));
                } else if (a.get().ackedAtMs() == null) {
                    chosen.add(a.get());
                }
            }
        }
        if (!errors.isEmpty()) {
            ingestor.countRejected("invalid");
            throw ApiProblem.badRequest("invalid bulk acknowledgement", errors);
        }
        String queueId = queue == null ? null : queue.asText();
        String kindName = kind == null ? null : kind.asText();
        if (ids == null) {
            chosen.addAll(store.openAlerts(queueId, kindName, MAX_BULK_ACK));
        }
        List<String> acked = new ArrayList<>();
        if (!chosen.isEmpty()) {
            acked = acknowledge(req, chosen, note);
        }
        ArrayNode out = Wire.array();
        for (String id : acked) {
            store.alert(id).ifPresent(a -> out.add(alertJson(a)));
        }
        ObjectNode reply = Wire.object();
        reply.put("acknowledged", out.size());
        reply.set("alerts", out);
        if (ids == null) {
            reply.put("remaining", store.openAlerts(queueId, kindName, MAX_BULK_ACK).size());
        }
        Json.send(res, reply);
    }

    /**
     * Acknowledges {@code alerts} as the caller, with {@code note}; answers the ids acknowledged now
     * (those acknowledged by someone else meanwhile are left out).
     */
    private List<String> acknowledge(ServerRequest req, List<Store.StoredAlert> alerts, String note) {
        Auth.Caller caller = Auth.callerOf(req);
        Outcome outcome = ingestor.act(new SupervisorAction.AlertAck(alerts, note, caller.actor(), caller.role().wireName(),
            System.currentTimeMillis()));
        if (outcome instanceof Outcome.Unavailable u) {
            throw ApiProblem.unavailable(u.reason());
        }
        if (!(outcome instanceof Outcome.Created)) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(alerts.size());
        for (Store.StoredAlert a : alerts) {
            ids.add(a.id());
        }
        return ids;
    }

    private static void unknownFields(JsonNode body, List<String> known, List<FieldError> errors) {
        for (java.util.Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                errors.add(new FieldError(f, "unknown field (expected " + String.join(", ", known) + ")"));
            }
        }
    }

    /** The optional {@code note}: a string of at most {@link SupervisorAction.AlertAck#MAX_NOTE} characters. */
    private static String note(JsonNode body, List<FieldError> errors) {
        JsonNode n = body.get("note");
        if (n == null || n.isNull()) {
            return null;
        }
        int max = SupervisorAction.AlertAck.MAX_NOTE;
        if (!n.isTextual() || n.asText().codePointCount(0, n.asText().length()) > max) {
            errors.add(new FieldError("note", "must be a string of at most " + max + " characters"));
            return null;
        }
        String note = n.asText().strip();
        return note.isEmpty() ? null : note;
    }

    /**
     * An alert as listed: with {@code acked_at}, {@code acked_by}, {@code note}, {@code resolved_at}
     * and {@code resolution}.
     */
    static ObjectNode alertJson(Store.StoredAlert a) {
        ObjectNode n = Wire.alert(a.toAlert(), a.seq(), a.ackedAtMs());
        n.put("acked_by", a.ackedBy());
        n.put("note", a.note());
        n.put("resolved_at", a.resolvedAtMs() == null ? null : Wire.instant(a.resolvedAtMs()));
        n.put("resolution", a.resolution());
        return n;
    }

}
