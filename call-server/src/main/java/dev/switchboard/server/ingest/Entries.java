package dev.switchboard.server.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.core.Decision;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.rules.Effect;
import dev.switchboard.server.ingest.Work.ActionWork;
import dev.switchboard.server.ingest.Work.CallWork;
import dev.switchboard.server.ingest.Work.Unit;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.Push;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.QueueJson;
import dev.switchboard.server.wire.Wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What one commit writes and pushes for a piece of work: the log rows with their seqs (the first
 * of a decision marked {@code head}: the rows after it share its call state), the call's row,
 * alerts, acknowledgements, agents first seen, webhook deliveries, the pushes and the reply.
 * Runs on the writer thread before the commit and changes nothing: a commit that fails leaves no
 * trace.
 */
final class Entries {

    private final Outbox outbox;
    private final Set<String> knownAgents;
    private final Function<String, Optional<Call>> currentCall;

    /**
     * @param knownAgents agents already registered (read only here)
     * @param currentCall a call as the engine has it now, else as stored
     */
    Entries(Outbox outbox, Set<String> knownAgents, Function<String, Optional<Call>> currentCall) {
        this.outbox = outbox;
        this.knownAgents = knownAgents;
        this.currentCall = currentCall;
    }

    /** One piece of work made ready for the database: rows with their seqs, pushes, the reply. */
    record Prepared(Unit unit, List<StoredEvent> rows, Store.CallRow call, List<Store.AlertRow> alerts,
                            List<Store.AckRow> acks, List<Store.ResolveRow> resolutions, List<String[]> newAgents,
                            List<Store.OutboxRow> outbox, List<Store.QueueWrite> queues, List<Push> pushes,
                            ObjectNode reply) {

        Store.Batch batch() {
            return new Store.Batch(rows, call == null ? List.of() : List.of(call), alerts, acks, resolutions, newAgents,
                outbox, queues);
        }
    }

    /** What the units prepared so far in one batch leave behind for the next ones. */
    static final class BatchContext {
        /** Agents first seen in the batch (registered once). */
        final Set<String> newAgents = new HashSet<>();
    }

    Prepared prepare(Unit u, long seq, BatchContext batch) {
        return switch (u.work()) {
            case CallWork w -> prepareCall(u, w, seq, batch);
            case ActionWork w -> prepareAction(u, w.action(), seq + 1, batch);
        };
    }

    /**
     * What of a decision's entries does not depend on its seqs, made where the decision is made
     * (the request's or the timer's thread), so that the single writer thread only numbers and
     * assembles: the call's JSON (serialized once for every push), the log entries and their
     * metadata as stored.
     */
    record Rendered(RawValue callState, List<History.Entry> entries, List<String> metadata) {

        static Rendered of(dev.switchboard.server.wire.IncomingEvent incoming, Decision.Accepted d) {
            List<History.Entry> entries = History.entries(incoming, d);
            List<String> metadata = new ArrayList<>(entries.size());
            for (History.Entry e : entries) {
                metadata.add(Wire.write(e.metadata()));
            }
            return new Rendered(new RawValue(Wire.callText(d.after())), entries, metadata);
        }
    }

    private Prepared prepareCall(Unit u, CallWork w, long seq, BatchContext batch) {
        Decision.Accepted d = w.decision();
        Call after = d.after();
        Rendered rendered = w.rendered();
        RawValue callStateRaw = rendered.callState();
        String from = d.before() != null && !d.before().queueId().equals(after.queueId()) ? d.before().queueId() : null;
        List<StoredEvent> rows = new ArrayList<>();
        List<Store.AlertRow> alerts = new ArrayList<>();
        List<Store.ResolveRow> resolutions = new ArrayList<>(0);
        List<Store.OutboxRow> outgoing = new ArrayList<>();
        List<Push> pushes = new ArrayList<>();
        ObjectNode reply = null;
        ArrayNode replyAlerts = Wire.array();
        for (int i = 0; i < rendered.entries().size(); i++) {
            History.Entry entry = rendered.entries().get(i);
            seq++;
            ObjectNode eventJson = Wire.event(entry.id(), after.id(), entry.type(), entry.atMs(), entry.metadata(), seq);
            pushes.add(Push.callEvent(seq, eventJson, callStateRaw, after.queueId(), from));
            if (entry.alert() != null) {
                alerts.add(new Store.AlertRow(entry.alert(), seq));
                ObjectNode alertJson = Wire.alert(entry.alert(), seq, null);
                replyAlerts.add(alertJson);
                pushes.add(new Push(seq, Push.ALERT, alertJson, after.queueId(), null));
            }
            if (History.ALERT_RESOLVED.equals(entry.type())) {
                ObjectNode m = entry.metadata();
                resolutions.add(new Store.ResolveRow(m.path("alert_id").asText(), entry.atMs(), seq, m.path("reason").asText()));
                pushes.add(Push.alertResolved(seq, Wire.alertResolved(after.id(), entry.atMs(), m, seq), after.queueId()));
            }
            if (w.incoming() != null && reply == null && History.SOURCE_EXTERNAL.equals(entry.source())) {
                reply = Wire.object();
                reply.set("event", eventJson);
            }
            // the first entry heads the decision: the entries after it share its call state
            rows.add(new StoredEvent(seq, entry.id(), after.id(), entry.type(), entry.atMs(), entry.source(),
                rendered.metadata().get(i), rows.isEmpty()));
            outgoing.addAll(outbox.rowsFor(seq, entry, after.id(), callStateRaw));
        }
        List<String[]> newAgents = new ArrayList<>();
        for (Effect e : d.effects()) {
            if (e instanceof Effect.Transitioned t && t.after().agentId() != null
                && !knownAgents.contains(t.after().agentId()) && batch.newAgents.add(t.after().agentId())) {
                newAgents.add(new String[] {t.after().agentId(), t.after().queueId()});
            }
        }
        if (reply != null) {
            reply.putRawValue("call", callStateRaw);
            reply.set("alerts", replyAlerts);
            reply.put("duplicate", false);
        }
        // the reply is serialized by the thread that waits for it (Outcome.Created#json), not here
        return new Prepared(u, rows, new Store.CallRow(after, seq, d.before() == null), alerts, List.of(), resolutions,
            newAgents, outgoing, List.of(), pushes, reply);
    }

    /** A supervisor's action as one log entry at {@code seq}. */
    private Prepared prepareAction(Unit u, SupervisorAction action, long seq, BatchContext batch) {
        if (action instanceof SupervisorAction.AlertAck ack) {
            return prepareAcks(u, ack, seq);
        }
        ObjectNode metadata = Wire.object();
        metadata.put("source", History.SOURCE_SUPERVISOR);
        String id = "sup-" + seq;
        List<Push> pushes = new ArrayList<>(2);
        List<Store.AckRow> acks = List.of();
        List<String[]> newAgents = List.of();
        List<Store.QueueWrite> queues = List.of();
        String callId = null;
        String type;
        switch (action) {
            case SupervisorAction.AgentAvailable a -> {
                type = History.AGENT_AVAILABLE;
                metadata.put("agent_id", a.agentId());
            }
            case SupervisorAction.PresenceChange p -> {
                type = History.AGENT_PRESENCE;
                metadata.put("source", p.source());
                metadata.put("agent_id", p.agentId());
                metadata.put("presence", p.presence().wireName());
                metadata.put("reason", p.reason());
                if (!knownAgents.contains(p.agentId()) && batch.newAgents.add(p.agentId())) {
                    newAgents = List.<String[]>of(new String[] {p.agentId(), null});
                }
            }
            case SupervisorAction.QueueChange q -> {
                type = History.QUEUE_CHANGED;
                metadata.put("queue_id", q.queue().id());
                metadata.put("created", q.created());
                metadata.set("queue", QueueJson.of(q.queue(), q.queue().thresholds()));
                queues = List.of(new Store.QueueWrite(q.queue().id(), q.queue()));
                List<String[]> agents = new ArrayList<>();
                for (String agent : q.queue().agentIds()) {
                    if (!knownAgents.contains(agent) && batch.newAgents.add(agent)) {
                        agents.add(new String[] {agent, q.queue().id()});
                    }
                }
                newAgents = agents;
            }
            case SupervisorAction.QueueDelete q -> {
                type = History.QUEUE_DELETED;
                metadata.put("queue_id", q.queueId());
                queues = List.of(new Store.QueueWrite(q.queueId(), null));
            }
            case SupervisorAction.AlertAck a -> throw new AssertionError("prepared by prepareAcks");
        }
        metadata.put("by", action.by());
        metadata.put("role", action.role());
        String source = metadata.path("source").asText();
        ObjectNode eventJson = Wire.event(id, callId, type, action.atMs(), metadata, seq);
        StoredEvent row = new StoredEvent(seq, id, callId, type, action.atMs(), source, Wire.write(metadata), true);
        pushes.add(Push.agentEvent(seq, eventJson));
        return new Prepared(u, List.of(row), null, List.of(), acks, List.of(), newAgents, List.of(), queues, pushes,
            eventJson);
    }

    /**
     * Acknowledgements as log entries from {@code seq}: one {@code alert_acked} entry per alert, in
     * its call's history, each heading its own decision (the calls differ); the reply is the last.
     */
    private Prepared prepareAcks(Unit u, SupervisorAction.AlertAck a, long seq) {
        List<StoredEvent> rows = new ArrayList<>(a.alerts().size());
        List<Store.AckRow> acks = new ArrayList<>(a.alerts().size());
        List<Push> pushes = new ArrayList<>(a.alerts().size() * 2);
        ObjectNode reply = null;
        for (Store.StoredAlert alert : a.alerts()) {
            ObjectNode metadata = Wire.object();
            metadata.put("source", History.SOURCE_SUPERVISOR);
            metadata.put("alert_id", alert.id());
            metadata.put("kind", alert.kind());
            if (a.note() != null) {
                metadata.put("note", a.note());
            }
            metadata.put("by", a.by());
            metadata.put("role", a.role());
            String id = "sup-" + seq;
            ObjectNode eventJson = Wire.event(id, alert.callId(), History.ALERT_ACKED, a.atMs(), metadata, seq);
            rows.add(new StoredEvent(seq, id, alert.callId(), History.ALERT_ACKED, a.atMs(), History.SOURCE_SUPERVISOR,
                Wire.write(metadata), true));
            acks.add(new Store.AckRow(alert.id(), a.atMs(), a.by(), seq, a.note()));
            // the call as of this entry: the ack holds the lanes of all its alerts' calls, so every
            // decision of those calls before it is applied already and none is in this batch
            Call call = currentCall.apply(alert.callId()).orElse(null);
            pushes.addAll(Push.alertAcked(seq, eventJson, call, Wire.alertAcked(alert, a.atMs(), a.by(), a.note(), seq)));
            reply = eventJson;
            seq++;
        }
        return new Prepared(u, rows, null, List.of(), acks, List.of(), List.of(), List.of(), List.of(), pushes, reply);
    }

}
