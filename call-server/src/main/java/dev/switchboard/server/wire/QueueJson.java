package dev.switchboard.server.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.rules.Thresholds;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A queue as an admin writes it ({@code PUT /api/queues/{id}}) and as it is kept (the
 * {@code queues} table, the {@code queue_changed} log entry): {@code {name, agents, thresholds}}
 * with the thresholds in seconds as on the wire ({@code sla_max_wait}, {@code ring_timeout},
 * {@code max_hold}, {@code short_call}, {@code wrap_up}, {@code short_abandon}) and
 * {@code sl_target} as a fraction. A threshold left out takes the center's default.
 */
public final class QueueJson {

    /** Ids of queues and agents: as for calls (letters, digits, {@code . _ : -}), 1–128 characters. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** Most agents one queue may list. */
    public static final int MAX_AGENTS = 2000;

    private static final Set<String> FIELDS = Set.of("id", "name", "agents", "thresholds");
    private static final Set<String> THRESHOLDS = Set.of("sla_max_wait", "ring_timeout", "max_hold", "short_call",
        "wrap_up", "short_abandon", "sl_target");

    private QueueJson() {
    }

    /** A bad queue body: each problem as {@code {field, message}}. */
    public static final class Invalid extends IllegalArgumentException {
        private final transient List<Map<String, String>> errors;

        Invalid(List<Map<String, String>> errors) {
            super(errors.toString());
            this.errors = List.copyOf(errors);
        }

        public List<Map<String, String>> errors() {
            return errors;
        }
    }

    /**
     * The queue {@code id} as {@code body} describes it.
     *
     * @param defaults the center's thresholds: what a threshold left out takes
     * @throws Invalid naming every bad field
     */
    public static QueueConfig parse(String id, JsonNode body, Thresholds defaults) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of(Map.of("field", "body", "message", "must be a JSON object")));
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.add(Map.of("field", f, "message", "unknown field (expected name, agents, thresholds)"));
            }
        }
        if (body.has("id") && !body.get("id").asText().equals(id)) {
            errors.add(Map.of("field", "id", "message", "must be the queue id of the path ('" + id + "') or left out"));
        }
        String name = id;
        JsonNode n = body.get("name");
        if (n != null && !n.isNull()) {
            if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > 256) {
                errors.add(Map.of("field", "name", "message", "must be a text of 1 to 256 characters"));
            } else {
                name = n.asText().strip();
            }
        }
        Set<String> agents = new LinkedHashSet<>();
        JsonNode a = body.get("agents");
        if (a != null && !a.isNull()) {
            if (!a.isArray()) {
                errors.add(Map.of("field", "agents", "message", "must be an array of agent ids"));
            } else if (a.size() > MAX_AGENTS) {
                errors.add(Map.of("field", "agents", "message", "at most " + MAX_AGENTS + " agents"));
            } else {
                for (JsonNode agent : a) {
                    if (!agent.isTextual() || !ID.matcher(agent.asText()).matches()) {
                        errors.add(Map.of("field", "agents", "message", "agent ids are 1-128 letters, digits or . _ : - ("
                            + agent + " is not)"));
                        break;
                    }
                    agents.add(agent.asText());
                }
            }
        }
        Thresholds t = defaults;
        JsonNode th = body.get("thresholds");
        if (th != null && !th.isNull()) {
            if (!th.isObject()) {
                errors.add(Map.of("field", "thresholds", "message", "must be an object"));
            } else {
                t = thresholds(th, defaults, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        return new QueueConfig(id, name, List.copyOf(agents), t);
    }

    private static Thresholds thresholds(JsonNode th, Thresholds t, List<Map<String, String>> errors) {
        for (Iterator<String> it = th.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!THRESHOLDS.contains(f)) {
                errors.add(Map.of("field", "thresholds." + f, "message", "unknown threshold (expected " + String.join(", ",
                    new java.util.TreeSet<>(THRESHOLDS)) + ")"));
            }
        }
        Duration sla = seconds(th, "sla_max_wait", true, errors);
        Duration ring = seconds(th, "ring_timeout", true, errors);
        Duration hold = seconds(th, "max_hold", true, errors);
        Duration shortCall = seconds(th, "short_call", true, errors);
        Duration wrapUp = seconds(th, "wrap_up", false, errors);
        Duration shortAbandon = seconds(th, "short_abandon", false, errors);
        Double target = null;
        JsonNode v = th.get("sl_target");
        if (v != null && !v.isNull()) {
            if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
                errors.add(Map.of("field", "thresholds.sl_target", "message", "must be a number from 0 to 1 (0.8 is 80 %)"));
            } else {
                target = v.asDouble();
            }
        }
        if (!errors.isEmpty()) {
            return t;
        }
        return new Thresholds(sla != null ? sla : t.slaMaxWait(), ring != null ? ring : t.ringTimeout(),
            hold != null ? hold : t.maxHold(), shortCall != null ? shortCall : t.shortCall(), t.autoBreakAfterMisses(),
            t.maxIdle(), wrapUp != null ? wrapUp : t.wrapUp(), shortAbandon != null ? shortAbandon : t.shortAbandon(),
            target != null ? target : t.slTarget());
    }

    /** A threshold in seconds (up to a day, millisecond precision), or {@code null} when left out. */
    private static Duration seconds(JsonNode th, String field, boolean positive, List<Map<String, String>> errors) {
        JsonNode v = th.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        double s = v.asDouble();
        if (!v.isNumber() || s > 86_400 || (positive ? s <= 0 : s < 0) || Double.isNaN(s)) {
            errors.add(Map.of("field", "thresholds." + field, "message", "must be a number of seconds, "
                + (positive ? "more than 0" : "0 or more") + " and at most 86400"));
            return null;
        }
        long ms = Math.round(s * 1000);
        if (positive && ms == 0) {
            errors.add(Map.of("field", "thresholds." + field, "message", "must be at least 0.001 s"));
            return null;
        }
        return Duration.ofMillis(ms);
    }

    /** The queue as kept and logged: {@code {id, name, agents, thresholds}} (thresholds as on the wire). */
    public static ObjectNode of(QueueConfig q, Thresholds t) {
        ObjectNode n = Wire.object();
        n.put("id", q.id());
        n.put("name", q.name());
        ArrayNode agents = n.putArray("agents");
        q.agentIds().forEach(agents::add);
        n.set("thresholds", Wire.thresholds(t));
        return n;
    }

    /**
     * A kept queue back ({@link #of}): what the table and the log hold was valid when written, so
     * a failure here is a corrupt row, not an admin's mistake.
     *
     * @throws IllegalStateException if the text is not a queue
     */
    public static QueueConfig read(String id, JsonNode kept, Thresholds defaults) {
        try {
            ObjectNode body = kept.deepCopy();
            body.remove("id");
            return parse(id, body, defaults);
        } catch (Invalid e) {
            throw new IllegalStateException("stored queue '" + id + "' does not read: " + e.getMessage(), e);
        }
    }
}
