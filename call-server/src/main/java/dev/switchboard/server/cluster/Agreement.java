package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.rules.Thresholds;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.wire.Wire;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * What every node of a cluster must agree on: the center's default thresholds and its time zone
 * (where "today" begins). The leader records its own with its epoch; a node that joins compares
 * and refuses to start, naming each difference. The queues are not part of it: they live in the
 * database that every node shares (the configuration only seeds an empty one) and change at
 * runtime through the log.
 */
final class Agreement {

    private Agreement() {
    }

    /** The configuration as stable JSON (the same settings give the same text). */
    static String of(ServerConfig config) {
        ObjectNode n = Wire.object();
        n.set("thresholds", thresholds(config.thresholds()));
        n.put("time_zone", config.timeZone().getId());
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
        j.put("wrap_up", t.wrapUp().toString());
        j.put("short_abandon", t.shortAbandon().toString());
        j.put("sl_target", t.slTarget());
        return j;
    }

    /** The differences between the leader's configuration and this node's, in words (empty: they agree). */
    static List<String> differences(String leaders, String mine) {
        List<String> out = new ArrayList<>();
        JsonNode a = Wire.read(leaders);
        JsonNode b = Wire.read(mine);
        compare("thresholds", a.path("thresholds"), b.path("thresholds"), out);
        if (a.has("time_zone")) {
            compare("", a, b, out, "time_zone");
        }
        return out;
    }

    private static void compare(String where, JsonNode leader, JsonNode mine, List<String> out, String field) {
        JsonNode l = leader.path(field);
        JsonNode m = mine.path(field);
        if (!l.equals(m)) {
            out.add((where.isEmpty() ? "" : where + " ") + field + ": the leader has " + l + ", this node "
                + (m.isMissingNode() ? "none" : m));
        }
    }

    private static void compare(String where, JsonNode leader, JsonNode mine, List<String> out) {
        for (Iterator<String> it = leader.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (leader.get(f).isObject()) {
                compare(where + " " + f, leader.get(f), mine.path(f), out);
            } else {
                compare(where, leader, mine, out, f);
            }
        }
    }
}
