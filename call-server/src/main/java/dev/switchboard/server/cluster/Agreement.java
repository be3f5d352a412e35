package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.wire.Wire;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every node of a cluster must agree on: the queues (ids, names, agents) and the thresholds
 * (center defaults and each queue's own). The leader records its own with its epoch; a node
 * that joins compares and refuses to start, naming each difference.
 */
final class Agreement {

    private Agreement() {
    }

    /** The configuration as stable JSON (the same settings give the same text). */
    static String of(ServerConfig config) {
        ObjectNode n = Wire.object();
        n.set("thresholds", thresholds(config.thresholds()));
        ArrayNode queues = n.putArray("queues");
        for (QueueConfig q : config.queues()) {
            ObjectNode j = queues.addObject();
            j.put("id", q.id());
            j.put("name", q.name());
            ArrayNode agents = j.putArray("agents");
            q.agentIds().forEach(agents::add);
            j.set("thresholds", thresholds(q.thresholds()));
        }
        return Wire.write(n);
    }

    private static ObjectNode thresholds(Thresholds t) {
        ObjectNode j = Wire.object();
        j.put("sla_max_wait", t.slaMaxWait().toString());
        j.put("ring_timeout", t.ringTimeout().toString());
        j.put("max_hold", t.maxHold().toString());
        j.put("short_call", t.shortCall().toString());
        j.put("auto_break_after", t.autoBreakAfterMisses());
        j.put("max_idle", t.maxIdle().toString());
        return j;
    }

    /** The differences between the leader's configuration and this node's, in words (empty: they agree). */
    static List<String> differences(String leaders, String mine) {
        List<String> out = new ArrayList<>();
        JsonNode a = Wire.read(leaders);
        JsonNode b = Wire.read(mine);
        compare("thresholds", a.path("thresholds"), b.path("thresholds"), out);
        Map<String, JsonNode> qa = byId(a.path("queues"));
        Map<String, JsonNode> qb = byId(b.path("queues"));
        for (String id : qa.keySet()) {
            if (!qb.containsKey(id)) {
                out.add("queue " + id + " is configured on the leader but not here");
            } else {
                compare("queue " + id, qa.get(id), qb.get(id), out);
            }
        }
        for (String id : qb.keySet()) {
            if (!qa.containsKey(id)) {
                out.add("queue " + id + " is configured here but not on the leader");
            }
        }
        return out;
    }

    private static Map<String, JsonNode> byId(JsonNode queues) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode q : queues) {
            m.put(q.path("id").asText(), q);
        }
        return m;
    }

    private static void compare(String where, JsonNode leader, JsonNode mine, List<String> out) {
        for (Iterator<String> it = leader.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            JsonNode l = leader.get(f);
            JsonNode m = mine.path(f);
            if (l.isObject()) {
                compare(where + " " + f, l, m, out);
            } else if (!l.equals(m)) {
                out.add(where + " " + f + ": the leader has " + l + ", this node " + (m.isMissingNode() ? "none" : m));
            }
        }
    }
}
