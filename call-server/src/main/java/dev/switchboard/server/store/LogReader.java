package dev.switchboard.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Call;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.Wire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audit log read back with what its narrow rows do not keep: the call state after each
 * entry's decision (pushed with every {@code call_event}, so a resume must send it again) and the
 * reply a client got for its event (sent again, marked {@code duplicate}, on a resend).
 *
 * <p><b>How.</b> Both come from the call's own history: {@link History#next} replays it through
 * the deterministic state machine, and the entries of one decision (consecutive seqs of one call,
 * the first marked {@code head}) share the state after the last of them, exactly as the service
 * pushed them. Calls are short (a handful of entries), so this costs one indexed query per page
 * of entries and microseconds of replay per call.
 */
public final class LogReader {

    private final Store store;

    public LogReader(Store store) {
        this.store = store;
    }

    /**
     * An entry and the call as pushed with it.
     *
     * @param call the call after the entry's decision; {@code null} for an entry about no call
     */
    public record Entry(StoredEvent row, JsonNode metadata, Call call) {
    }

    /** Entries after {@code fromSeq} up to {@code upToSeq} (at most {@code limit}), in seq order. */
    public List<Entry> after(long fromSeq, long upToSeq, int limit) {
        List<StoredEvent> page = store.eventsAfter(fromSeq, upToSeq, limit);
        Set<String> callIds = new LinkedHashSet<>();
        for (StoredEvent e : page) {
            if (e.callId() != null) {
                callIds.add(e.callId());
            }
        }
        Map<Long, Call> states = new HashMap<>();
        // up to upToSeq, not the page's end: a decision cut by the page still has its last state
        for (List<StoredEvent> history : store.callEvents(callIds, upToSeq).values()) {
            decisionStates(history, states);
        }
        List<Entry> out = new ArrayList<>(page.size());
        for (StoredEvent e : page) {
            out.add(new Entry(e, Wire.read(e.metadata()), e.callId() == null ? null : states.get(e.seq())));
        }
        return out;
    }

    /**
     * The reply a client got when its event (stored at {@code seq}) was accepted:
     * {@code {event, call, alerts, duplicate: false}}, the call and alerts as of that decision.
     */
    public Optional<ObjectNode> reply(String callId, long seq) {
        List<StoredEvent> history = store.callEvents(callId);
        Call call = null;
        StoredEvent trigger = null;
        ArrayNode alerts = Wire.array();
        for (StoredEvent e : history) {
            if (trigger != null && e.head()) {
                break;   // the next decision
            }
            JsonNode metadata = Wire.read(e.metadata());
            call = History.next(call, e.id(), e.callId(), e.type(), e.tsMs(), metadata);
            if (e.seq() == seq) {
                trigger = e;
            } else if (trigger != null && History.ALERT_RAISED.equals(e.type())) {
                long alertSeq = e.seq();
                History.alertOf(callId, e.tsMs(), metadata).ifPresent(a -> alerts.add(Wire.alert(a, alertSeq, null)));
            }
        }
        if (trigger == null) {
            return Optional.empty();
        }
        ObjectNode reply = Wire.object();
        reply.set("event", Wire.event(trigger.id(), callId, trigger.type(), trigger.tsMs(), Wire.read(trigger.metadata()),
            trigger.seq()));
        reply.set("call", Wire.call(call));
        reply.set("alerts", alerts);
        reply.put("duplicate", false);
        return Optional.of(reply);
    }

    /** For each entry of one call's history (in order): the call after the entry's decision. */
    static void decisionStates(List<StoredEvent> history, Map<Long, Call> out) {
        Call current = null;
        List<Long> decision = new ArrayList<>();
        for (StoredEvent e : history) {
            if (e.head() && !decision.isEmpty()) {
                for (long s : decision) {
                    out.put(s, current);
                }
                decision.clear();
            }
            current = History.next(current, e.id(), e.callId(), e.type(), e.tsMs(), Wire.read(e.metadata()));
            decision.add(e.seq());
        }
        for (long s : decision) {
            out.put(s, current);
        }
    }
}
