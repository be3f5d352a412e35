package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.wire.Wire;

/**
 * An event's {@link Outcome} between nodes: the leader's answer to a forwarded event, which the
 * follower turns into exactly the reply the leader would have sent the client.
 */
final class Outcomes {

    private Outcomes() {
    }

    static ObjectNode encode(Outcome outcome) {
        ObjectNode n = Wire.object();
        switch (outcome) {
            case Outcome.Created c -> {
                n.put("outcome", "created");
                n.putRawValue("reply", new com.fasterxml.jackson.databind.util.RawValue(c.json()));
            }
            case Outcome.Duplicate d -> {
                n.put("outcome", "duplicate");
                n.set("reply", d.reply());
            }
            case Outcome.Rejected r -> {
                n.put("outcome", "rejected");
                n.put("reason", r.rejection().reason().name());
                n.put("field", r.rejection().field());
                n.put("message", r.rejection().message());
            }
            case Outcome.Unavailable u -> {
                n.put("outcome", "unavailable");
                n.put("reason", u.reason());
            }
        }
        return n;
    }

    static Outcome decode(JsonNode n) {
        return switch (n.path("outcome").asText()) {
            case "created" -> new Outcome.Created((ObjectNode) n.get("reply"), Wire.write(n.get("reply")));
            case "duplicate" -> new Outcome.Duplicate((ObjectNode) n.get("reply"));
            case "rejected" -> new Outcome.Rejected(new Rejection(Rejection.Reason.valueOf(n.path("reason").asText()),
                n.path("field").isNull() ? null : n.path("field").asText(null), n.path("message").asText()));
            case "unavailable" -> new Outcome.Unavailable(n.path("reason").asText("the leader could not store it"));
            default -> throw new IllegalArgumentException("unknown outcome from the leader: " + n.path("outcome"));
        };
    }
}
