package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.metrics.AgentMetrics;
import dev.switchboard.core.metrics.QueueMetrics;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.ingest.SupervisorAction;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.Wire;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

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
 * GET  /api/alerts?open=true&amp;limit=…
 * POST /api/alerts/{id}/ack
 * </pre>
 */
public final class CenterService implements HttpService {

    private final Ingestor ingestor;
    private final Store store;
    private final Auth auth;
    private final SocketHub hub;
    private final int socketPort;

    /** The wire contract's version. */
    public static final String VERSION = "v1";

    public CenterService(Ingestor ingestor, Store store, Auth auth, SocketHub hub, int socketPort) {
        this.socketPort = socketPort;
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
            .get("/alerts", auth.supervisor(Params.only(this::alerts, "open", "limit")))
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
        Json.send(res, ingestor.withEngine(engine -> engine.agentMetrics().stream().filter(a -> a.agentId().equals(id))
            .findFirst().map(Wire::agent).orElseThrow()));
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
        Store.StoredAlert a = store.alert(id).orElseThrow(() -> ApiProblem.notFound("unknown alert '" + id + "'"));
        if (a.ackedAtMs() == null) {
            Auth.Caller caller = Auth.callerOf(req);
            Outcome outcome = ingestor.act(new SupervisorAction.AlertAck(a, caller.actor(), caller.role().wireName(),
                System.currentTimeMillis()));
            if (outcome instanceof Outcome.Unavailable u) {
                throw ApiProblem.unavailable(u.reason());
            }
            a = store.alert(id).orElseThrow(() -> ApiProblem.notFound("unknown alert '" + id + "'"));
        }
        Json.send(res, alertJson(a));
    }

    /** An alert as listed: with {@code acked_at} and {@code acked_by}. */
    static ObjectNode alertJson(Store.StoredAlert a) {
        ObjectNode n = Wire.alert(a.toAlert(), a.seq(), a.ackedAtMs());
        n.put("acked_by", a.ackedBy());
        return n;
    }

}
