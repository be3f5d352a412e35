package dev.switchboard.server.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Call;
import dev.switchboard.core.call.Phase;
import dev.switchboard.core.metrics.Presence;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.Wire;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per agent over {@code [from, to)}: offered, answered, missed, talk, hold and wrap-up time, time
 * logged in and not ready (by reason), occupancy.
 *
 * <p><b>Calls.</b> From the replayed transitions of the calls: <em>offered</em> when a call rings
 * the agent, <em>answered</em> when they take it, <em>missed</em> when it goes back to the queue
 * from their phone (ring timeout, {@code call_retransfer}); talk and hold are the call's active and
 * on-hold stretches with the agent, clipped to the report's time (a call still live counts up to
 * now).
 *
 * <p><b>Presence.</b> From the agent's presence entries, replayed in log order with the rules of
 * the live figures ({@code CenterMetrics}): an agent is available (logged in) from when first seen
 * (the earliest of the {@code agents} row and their first entry) until an entry says otherwise;
 * {@code agent_presence} sets the presence (a {@code wrap_up} one, in a call's history, starts a
 * wrap-up for an available agent that ends by itself at its {@code until}, or earlier when the
 * agent answers a call or changes presence); {@code agent_on_break} is not ready for
 * {@code missed_calls}; {@code agent_available} is available. Logged-in time is every presence
 * but {@code logged_out}. Entries are taken in seq order, as the service applied them; a stretch
 * whose end is stamped before its start counts 0.
 *
 * <p><b>Occupancy</b> = (talk + hold + wrap-up) ÷ logged-in time, at most 1 (talk while logged out
 * still counts as talk), {@code null} without logged-in time.
 *
 * <p>NOT thread safe: one per request.
 */
final class AgentReport implements CallReplay.Sink {

    static final List<String> COLUMNS = List.of("agent_id", "offered", "answered", "missed", "talk_time", "hold_time",
        "wrap_up_time", "logged_in_time", "not_ready_time", "not_ready_by_reason", "occupancy");

    private final ReportRange range;
    /** Open stretches (a live call, the presence now) end here: the report's end, or now if sooner. */
    private final long untilMs;
    private final Map<String, Agent> agents = new TreeMap<>();

    AgentReport(ReportRange range, long nowMs) {
        this.range = range;
        this.untilMs = Math.min(range.toMs(), nowMs);
    }

    /** An agent as registered ({@code agents.first_seen}). */
    void known(String agentId, long firstSeenMs) {
        agent(agentId, firstSeenMs);
    }

    /**
     * One entry of an agent's presence ({@code agent_presence}, {@code agent_on_break},
     * {@code agent_available}); others are ignored. Any order: they are sorted by seq.
     */
    void presence(StoredEvent e) {
        JsonNode m = Wire.read(e.metadata());
        String agentId = m.path("agent_id").asText(null);
        if (agentId == null) {
            return;
        }
        Change change = switch (e.type()) {
            case History.AGENT_ON_BREAK -> new Change(e.seq(), e.tsMs(), Presence.NOT_READY, Presence.MISSED_CALLS, 0);
            case History.AGENT_AVAILABLE -> new Change(e.seq(), e.tsMs(), Presence.AVAILABLE, null, 0);
            case History.AGENT_PRESENCE -> {
                Presence p;
                try {
                    p = Presence.fromWire(m.path("presence").asText());
                } catch (IllegalArgumentException unknown) {
                    yield null;
                }
                long until = 0;
                if (p == Presence.WRAP_UP) {
                    try {
                        until = Instant.parse(m.path("until").asText()).toEpochMilli();
                    } catch (DateTimeException bad) {
                        yield null;
                    }
                }
                yield new Change(e.seq(), e.tsMs(), p, m.path("reason").asText(null), until);
            }
            default -> null;
        };
        if (change != null) {
            agent(agentId, e.tsMs()).changes.add(change);
        }
    }

    @Override
    public void transition(Call before, Call after, long atMs, long seq) {
        if (before != null && before.agentId() != null) {
            Agent a = agent(before.agentId(), atMs);
            if (before.phase() == Phase.ACTIVE && after.phase() != Phase.ACTIVE) {
                a.talkMs += range.clipped(before.phaseSinceMs(), atMs);
            } else if (before.phase() == Phase.ON_HOLD && after.phase() != Phase.ON_HOLD) {
                a.holdMs += range.clipped(before.phaseSinceMs(), atMs);
            }
            if (before.phase() == Phase.RINGING && after.phase() == Phase.QUEUED && range.covers(atMs)) {
                a.missed++;
            }
        }
        if (after.agentId() == null) {
            return;
        }
        Agent a = agent(after.agentId(), atMs);
        if (after.phase() == Phase.RINGING && range.covers(atMs)) {
            a.offered++;
        } else if (after.phase() == Phase.ACTIVE) {
            if (before != null && before.phase() == Phase.RINGING && range.covers(atMs)) {
                a.answered++;
            }
            a.changes.add(new Change(seq, atMs, null, null, 0));   // a call taken ends a wrap-up
        }
    }

    @Override
    public void last(Call call) {
        if (call.agentId() == null) {
            return;
        }
        if (call.phase() == Phase.ACTIVE) {
            agent(call.agentId(), call.phaseSinceMs()).talkMs += range.clipped(call.phaseSinceMs(), untilMs);
        } else if (call.phase() == Phase.ON_HOLD) {
            agent(call.agentId(), call.phaseSinceMs()).holdMs += range.clipped(call.phaseSinceMs(), untilMs);
        }
    }

    ObjectNode json() {
        ObjectNode body = Wire.object();
        ArrayNode items = body.putArray("items");
        for (Agent a : agents.values()) {
            if (a.sinceMs < range.toMs()) {
                items.add(a.figures());
            }
        }
        return body;
    }

    String csv() {
        Csv csv = new Csv(COLUMNS);
        for (Agent a : agents.values()) {
            if (a.sinceMs < range.toMs()) {
                csv.row(a.figures());
            }
        }
        return csv.toString();
    }

    private Agent agent(String id, long seenMs) {
        Agent a = agents.computeIfAbsent(id, Agent::new);
        a.sinceMs = Math.min(a.sinceMs, seenMs);
        return a;
    }

    /**
     * A change of the agent's presence at {@code seq}, or ({@code presence} {@code null}) the
     * agent taking a call.
     *
     * @param untilMs the end of a wrap-up
     */
    private record Change(long seq, long atMs, Presence presence, String reason, long untilMs) {
    }

    private final class Agent {
        final String id;
        long sinceMs = Long.MAX_VALUE;
        final List<Change> changes = new ArrayList<>();
        long offered;
        long answered;
        long missed;
        long talkMs;
        long holdMs;
        // the presence replay (see figures())
        Presence presence = Presence.AVAILABLE;
        String reason;
        long presenceSinceMs;
        long loggedInSinceMs;
        long wrapUntilMs;
        long wrapMs;
        long loggedInMs;
        final Map<String, Long> notReadyMs = new TreeMap<>();

        Agent(String id) {
            this.id = id;
        }

        ObjectNode figures() {
            replayPresence();
            ObjectNode n = Wire.object();
            n.put("agent_id", id);
            n.put("offered", offered);
            n.put("answered", answered);
            n.put("missed", missed);
            n.put("talk_time", talkMs / 1000.0);
            n.put("hold_time", holdMs / 1000.0);
            n.put("wrap_up_time", wrapMs / 1000.0);
            n.put("logged_in_time", loggedInMs / 1000.0);
            long notReady = 0;
            ObjectNode reasons = Wire.object();
            for (Map.Entry<String, Long> r : notReadyMs.entrySet()) {
                notReady += r.getValue();
                reasons.put(r.getKey(), r.getValue() / 1000.0);
            }
            n.put("not_ready_time", notReady / 1000.0);
            n.set("not_ready_by_reason", reasons);
            n.put("occupancy", loggedInMs == 0 ? null
                : Math.round(Math.min(1.0, (double) (talkMs + holdMs + wrapMs) / loggedInMs) * 1000.0) / 1000.0);
            return n;
        }

        /** The presence changes in log order, from "available since first seen" (idempotent). */
        private void replayPresence() {
            presence = Presence.AVAILABLE;
            reason = null;
            presenceSinceMs = sinceMs;
            loggedInSinceMs = sinceMs;
            wrapUntilMs = 0;
            wrapMs = 0;
            loggedInMs = 0;
            notReadyMs.clear();
            changes.sort(Comparator.comparingLong(Change::seq));
            for (Change c : changes) {
                if (c.atMs() >= untilMs) {
                    continue;   // after the report's end: changes nothing in it
                }
                settle(c.atMs());
                if (c.presence() == null) {
                    if (presence == Presence.WRAP_UP) {
                        leave(Presence.AVAILABLE, null, c.atMs());
                    }
                } else if (c.presence() == Presence.WRAP_UP) {
                    if (presence == Presence.AVAILABLE && c.untilMs() > c.atMs()) {
                        leave(Presence.WRAP_UP, null, c.atMs());
                        wrapUntilMs = c.untilMs();
                    }
                } else {
                    String why = c.presence() == Presence.NOT_READY ? (c.reason() == null ? "not_ready" : c.reason()) : null;
                    if (presence != c.presence() || !java.util.Objects.equals(reason, why)) {
                        leave(c.presence(), why, c.atMs());
                    }
                }
            }
            settle(untilMs);
            // the stretches still open at the report's end (or now)
            if (presence == Presence.NOT_READY) {
                notReadyMs.merge(reason, range.clipped(presenceSinceMs, untilMs), Long::sum);
            } else if (presence == Presence.WRAP_UP) {
                wrapMs += range.clipped(presenceSinceMs, Math.min(untilMs, wrapUntilMs));
            }
            if (presence != Presence.LOGGED_OUT) {
                loggedInMs += range.clipped(loggedInSinceMs, untilMs);
            }
            notReadyMs.values().removeIf(ms -> ms == 0);
        }

        /** A wrap-up over by {@code atMs} ended at its own end time. */
        private void settle(long atMs) {
            if (presence == Presence.WRAP_UP && atMs >= wrapUntilMs) {
                leave(Presence.AVAILABLE, null, wrapUntilMs);
            }
        }

        /** Closes the current presence's stretch at {@code atMs} and enters {@code next}. */
        private void leave(Presence next, String why, long atMs) {
            if (presence == Presence.NOT_READY) {
                notReadyMs.merge(reason, range.clipped(presenceSinceMs, atMs), Long::sum);
            } else if (presence == Presence.WRAP_UP) {
                wrapMs += range.clipped(presenceSinceMs, Math.min(atMs, wrapUntilMs));
            }
            if (presence == Presence.LOGGED_OUT && next != Presence.LOGGED_OUT) {
                loggedInSinceMs = atMs;
            } else if (presence != Presence.LOGGED_OUT && next == Presence.LOGGED_OUT) {
                loggedInMs += range.clipped(loggedInSinceMs, atMs);
            }
            presence = next;
            reason = why;
            presenceSinceMs = atMs;
        }
    }
}
