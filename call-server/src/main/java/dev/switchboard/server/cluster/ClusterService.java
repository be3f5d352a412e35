package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.server.http.ApiProblem;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.Params;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.wire.EventParser;
import dev.switchboard.server.wire.IncomingEvent;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import dev.switchboard.server.config.ServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cluster's routes: {@code GET /api/cluster} for supervisors (who leads, the nodes, their
 * lag), and {@code POST /cluster/events}, the node-to-node route a follower forwards events by.
 * The latter takes only the cluster secret (in {@link Forwarder#SECRET_HEADER}); a node that does
 * not lead answers {@link #NOT_LEADER} and handles nothing, so the follower may send the batch on.
 */
public final class ClusterService implements HttpService {

    /** 421 Misdirected Request: this node does not lead; nothing of the batch was handled. */
    static final int NOT_LEADER = 421;

    private final Cluster cluster;
    private final Ingestor ingestor;
    private final Auth auth;
    private final byte[] secret;
    private final long maxBodyBytes;

    ClusterService(Cluster cluster, Ingestor ingestor, Auth auth, String secret, long maxBodyBytes) {
        this.cluster = cluster;
        this.ingestor = ingestor;
        this.auth = auth;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * The cluster routes of a single node ({@code SWITCHBOARD_CLUSTER=off}): {@code GET
     * /api/cluster} describes the one node (mode {@code off}, always the leader, epoch 0);
     * {@code POST /cluster/events} is not found.
     */
    public static void standalone(HttpRouting.Builder r, Auth auth, ServerConfig config, java.time.Instant startedAt) {
        r.register("/api", rules -> rules.get("/cluster", auth.supervisor(Params.only((req, res) -> {
            String host = "0.0.0.0".equals(config.host()) ? "localhost" : config.host();
            String id = host + ":" + config.httpPort();
            String url = "http://" + host + ":" + config.httpPort();
            ObjectNode n = Wire.object();
            n.put("mode", "off");
            n.put("node_id", id);
            n.put("role", "leader");
            n.put("epoch", 0);
            ObjectNode leader = n.putObject("leader");
            leader.put("node_id", id);
            leader.put("url", url);
            leader.put("since", Wire.instant(startedAt.toEpochMilli()));
            ObjectNode self = n.putArray("nodes").addObject();
            self.put("node_id", id);
            self.put("url", url);
            self.put("role", "leader");
            self.put("last_seen", Wire.instant(System.currentTimeMillis()));
            self.put("lag", 0);
            Json.send(res, n);
        }))));
        r.post("/cluster/events", Params.only((req, res) -> {
            throw ApiProblem.notFound("this node is not in cluster mode (SWITCHBOARD_CLUSTER=off)");
        }));
    }

    /** {@code GET /api/cluster} (register under {@code /api}). */
    HttpService status() {
        return rules -> rules.get("/cluster", auth.supervisor(Params.only((req, res) -> Json.send(res, cluster.statusJson()))));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/events", Params.only(this::events));
    }

    private void events(ServerRequest req, ServerResponse res) {
        String given = req.headers().first(HeaderNames.create(Forwarder.SECRET_HEADER)).orElse("");
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret)) {
            throw new ApiProblem(401, "Unauthorized", "node-to-node calls need the cluster secret", List.of());
        }
        if (!ingestor.leading()) {
            res.status(Status.create(NOT_LEADER));
            Json.send(res, Status.create(NOT_LEADER), "{\"detail\":\"this node does not lead the cluster\"}");
            return;
        }
        JsonNode body = Wire.read(readBody(req));
        JsonNode events = body.path("events");
        if (!events.isArray() || events.size() > Forwarder.MAX_BATCH) {
            throw ApiProblem.badRequest("events", "expected {events: [...]} of at most " + Forwarder.MAX_BATCH);
        }
        List<IncomingEvent> parsed = new ArrayList<>(events.size());
        List<Outcome> invalid = new ArrayList<>(events.size());
        for (JsonNode e : events) {
            switch (EventParser.parse(e)) {
                case EventParser.Parsed.Ok ok -> {
                    parsed.add(ok.event());
                    invalid.add(null);
                }
                case EventParser.Parsed.Invalid bad -> {
                    parsed.add(null);
                    invalid.add(new Outcome.Rejected(new Rejection(Rejection.Reason.INVALID, bad.errors().getFirst().field(),
                        bad.errors().getFirst().message())));
                }
            }
        }
        List<Outcome> outcomes = ingestAll(ingestor, parsed);
        ArrayNode results = Wire.array();
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(Outcomes.encode(invalid.get(i) != null ? invalid.get(i) : outcomes.get(i)));
        }
        ObjectNode out = Wire.object();
        out.set("results", results);
        Json.send(res, out);
    }

    private String readBody(ServerRequest req) {
        try (var in = req.content().inputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes * 4 + 1));
            return new String(b, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw ApiProblem.badRequest("", "cannot read the body: " + e.getMessage());
        }
    }

    /** Ingests events as one array is ({@link Ingestor#perCall}); a {@code null} item's outcome stays null. */
    static List<Outcome> ingestAll(Ingestor ingestor, List<IncomingEvent> events) {
        Outcome[] outcomes = new Outcome[events.size()];
        Ingestor.perCall(events, indexes -> {
            try {
                List<Outcome> ofCall = ingestor.ingestCall(events, indexes);
                for (int k = 0; k < indexes.size(); k++) {
                    outcomes[indexes.get(k)] = ofCall.get(k);
                }
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(ClusterService.class.getName())
                    .log(java.util.logging.Level.SEVERE, "forwarded events " + indexes + " failed", e);
                for (int i : indexes) {
                    if (outcomes[i] == null) {
                        outcomes[i] = new Outcome.Unavailable("internal error");
                    }
                }
            }
        });
        return Arrays.asList(outcomes);
    }
}
