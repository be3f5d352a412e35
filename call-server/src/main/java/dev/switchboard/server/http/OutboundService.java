package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.outbound.Subscription;
import dev.switchboard.server.wire.FieldError;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Outbound integrations, for admins.
 *
 * <pre>
 * GET    /api/webhooks                  subscriptions (secrets hidden)
 * POST   /api/webhooks                  {url, secret?, event_types?} → 201, the secret shown once
 * DELETE /api/webhooks/{id}
 * GET    /api/deliveries?state=pending|delivered|dead   newest first, at most 500
 * POST   /api/deliveries/{id}/replay    a dead (or any) delivery back in the queue
 * </pre>
 */
public final class OutboundService implements HttpService {

    /** A subscription is small: a URL, a secret and a few type names. */
    static final long MAX_BODY_BYTES = 64 * 1024;

    private final Outbox outbox;
    private final Auth auth;

    public OutboundService(Outbox outbox, Auth auth) {
        this.outbox = outbox;
        this.auth = auth;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/webhooks", auth.admin(Params.only(this::list)))
            .post("/webhooks", auth.admin(Params.only(this::add)))
            .delete("/webhooks/{id}", auth.admin(Params.only(this::remove)))
            .get("/deliveries", auth.admin(Params.only(this::deliveries, "state")))
            .post("/deliveries/{id}/replay", auth.admin(Params.only(this::replay)));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ArrayNode out = Wire.array();
        for (Subscription s : outbox.subscriptions()) {
            out.add(json(s, false));
        }
        Json.send(res, out);
    }

    private void add(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBody.read(req, MAX_BODY_BYTES, reason -> { });
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiProblem.badRequest("", "expected {url, secret?, event_types?}");
        }
        String url = body.path("url").asText(null);
        if (url == null || url.length() > 2048 || !outbox.deliverable(url)) {
            errors.add(new FieldError("url", "must be an http(s) URL (or a scheme a plug-in sink supports)"));
        }
        String secret = body.hasNonNull("secret") ? body.path("secret").asText() : null;
        if (secret != null && (secret.length() < 16 || secret.length() > 256)) {
            errors.add(new FieldError("secret", "must be 16 to 256 characters"));
        }
        Set<String> types = new LinkedHashSet<>();
        if (body.has("event_types")) {
            if (!body.path("event_types").isArray()) {
                errors.add(new FieldError("event_types", "must be an array of " + Outbox.OUTBOUND_TYPES));
            } else {
                body.path("event_types").forEach(t -> {
                    if (!Outbox.OUTBOUND_TYPES.contains(t.asText())) {
                        errors.add(new FieldError("event_types", "unknown type '" + t.asText() + "' (one of "
                            + Outbox.OUTBOUND_TYPES + ")"));
                    }
                    types.add(t.asText());
                });
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest("the subscription is invalid", errors);
        }
        Json.send(res, Status.CREATED_201, json(outbox.add(url, secret, types), true));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "webhook");
        if (!outbox.remove(id)) {
            throw ApiProblem.notFound("unknown webhook '" + id + "'");
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private void deliveries(ServerRequest req, ServerResponse res) {
        String state = Params.string(req, "state");
        if (state != null && !List.of(Outbox.PENDING, Outbox.DELIVERED, Outbox.DEAD).contains(state)) {
            throw ApiProblem.badRequest("state", "must be pending, delivered or dead");
        }
        Json.send(res, outbox.deliveries(state, 500));
    }

    private void replay(ServerRequest req, ServerResponse res) {
        String id = Params.id(req, "delivery");
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiProblem.notFound("unknown delivery '" + id + "'");
        }
        if (!outbox.replay(n)) {
            throw ApiProblem.notFound("unknown delivery '" + id + "'");
        }
        ObjectNode body = Wire.object();
        body.put("id", n);
        body.put("state", Outbox.PENDING);
        Json.send(res, body);
    }

    private static ObjectNode json(Subscription s, boolean withSecret) {
        ObjectNode n = Wire.object();
        n.put("id", s.id());
        n.put("url", s.url());
        ArrayNode types = n.putArray("event_types");
        s.eventTypes().forEach(types::add);
        n.put("secret", withSecret ? s.secret() : "****");
        return n;
    }
}
