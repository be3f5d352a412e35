package dev.switchboard.console.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertResolution;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.Metrics;
import dev.switchboard.console.wire.QueueStats;
import dev.switchboard.console.wire.TodayFigures;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The console's state, and the one place a push is applied to it (the same rules as the web
 * store): a {@code call_event} older than the last one applied is dropped (dedupe by {@code seq}),
 * a call replaces its row (upsert by call id), alerts are known by id.
 *
 * <p><b>Resume.</b> After a reconnect the feed asks the server to replay what came after
 * {@link #resumeAfter()}; anything replayed twice is dropped here. Every stored seq makes one
 * push: a {@code call_event}, or an {@code agent_event} for an entry about no call (a supervisor
 * setting an agent available). An {@code alert_raised} entry also makes an {@code alert} right
 * after its {@code call_event}, an {@code alert_acked} entry an {@code alert_acked}, and an
 * {@code alert_resolved} entry an {@code alert_resolved}: if the
 * link drops between the two, the resume starts one seq earlier so the second is not lost (the
 * {@code call_event} is then dropped as a duplicate). A push of a kind the feed does not know
 * never reaches the state.
 *
 * <p>Confined to the JavaFX application thread (the network client hands every update over with
 * {@code Platform.runLater}); only {@link #resumeAfter()} may be read from another thread.
 */
public final class CenterState {

    private static final String ALERT_RAISED = "alert_raised";
    private static final String ALERT_ACKED = "alert_acked";
    private static final String ALERT_RESOLVED = "alert_resolved";
    private static final String AGENT_AVAILABLE = "agent_available";
    private static final String AGENT_PRESENCE = "agent_presence";

    private final QueueNames queueNames = new QueueNames();
    private final CallsViewModel calls = new CallsViewModel(queueNames);
    private final HistoryViewModel history = new HistoryViewModel();
    private final AlertsViewModel alerts = new AlertsViewModel();
    private final MetricsViewModel metrics = new MetricsViewModel();
    private final ReportsViewModel reports = new ReportsViewModel(queueNames);
    private final ReadOnlyObjectWrapper<ConnectionState> connection =
        new ReadOnlyObjectWrapper<>(this, "connection", ConnectionState.CONNECTING);
    private final ReadOnlyStringWrapper connectionDetail = new ReadOnlyStringWrapper(this, "connectionDetail", "");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final javafx.beans.property.ReadOnlyBooleanWrapper loaded = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "loaded");
    private final List<Consumer<Alert>> alertListeners = new CopyOnWriteArrayList<>();

    /** The highest seq applied; volatile because the feed reads it when it reconnects. */
    private volatile long lastSeq;
    /**
     * The seq of an applied {@code alert_raised} (or {@code alert_acked}) entry whose {@code alert}
     * (or {@code alert_acked}) push has not arrived, else -1.
     */
    private volatile long alertPendingSeq = -1;
    private long duplicatesDropped;

    // --- pushes -------------------------------------------------------------------------------

    /**
     * A {@code call_event {seq, event, call}} push.
     *
     * @return whether it was applied ({@code false}: a duplicate)
     */
    public boolean applyCallEvent(long seq, CallEvent event, Call call) {
        if (seq <= lastSeq) {
            duplicatesDropped++;
            return false;
        }
        lastSeq = seq;
        alertPendingSeq = ALERT_RAISED.equals(event.type()) || ALERT_ACKED.equals(event.type())
            || ALERT_RESOLVED.equals(event.type()) ? seq : -1;
        calls.upsert(call, seq);
        history.onEvent(event, call);
        return true;
    }

    /** An {@code alert} push: listeners hear of it if it is new to the console. */
    public void applyAlert(Alert a) {
        if (a.seq() == alertPendingSeq) {
            alertPendingSeq = -1;
        }
        if (alerts.raised(a)) {
            alertListeners.forEach(l -> l.accept(a));
        }
    }

    /** The reply to this console's own acknowledgement: it has no place in the seq order. */
    public void applyAlertAcked(Alert a) {
        alerts.acked(a);
    }

    /**
     * The {@code alert_acked} push, at {@code ack_seq}: right after the {@code call_event} of the
     * same entry (or alone, when the call is gone). Replayed, it is dropped.
     *
     * @return whether it was applied
     */
    public boolean applyAlertAckedPush(Alert a) {
        if (a.ackSeq() > 0 && !placeSecondPush(a.ackSeq())) {
            return false;
        }
        alerts.acked(a);
        return true;
    }

    /**
     * The {@code alert_resolved} push, at the seq of its entry: right after that entry's
     * {@code call_event}. The alert leaves the open list. Replayed, it is dropped.
     *
     * @return whether it was applied (in the order; an alert not known here changes nothing)
     */
    public boolean applyAlertResolved(AlertResolution r) {
        if (!placeSecondPush(r.seq())) {
            return false;
        }
        alerts.resolved(r);
        return true;
    }

    /**
     * Places the second push of the entry at {@code seq} (its {@code alert_acked} or
     * {@code alert_resolved}): due right after that entry's {@code call_event}, or alone when the
     * call is gone (then it moves the order on itself).
     *
     * @return whether it is new here; {@code false}: a replay, counted and dropped
     */
    private boolean placeSecondPush(long seq) {
        if (seq == alertPendingSeq) {
            alertPendingSeq = -1;
            return true;
        }
        if (seq <= lastSeq) {
            duplicatesDropped++;
            return false;
        }
        lastSeq = seq;
        alertPendingSeq = -1;
        return true;
    }

    /** The reply to this console's "Ack all" ({@code POST /api/alerts/ack}): like {@link #applyAlertAcked}, for each. */
    public void applyAlertsAcked(List<Alert> acked) {
        acked.forEach(alerts::acked);
    }

    /**
     * An {@code agent_event {seq, event}} push: an entry about an agent, not a call. An
     * {@code agent_available} or {@code agent_presence} applies to the agent at once (no need to
     * wait for the next {@code metrics}); an entry of another type only takes its place in the order.
     *
     * @return whether it was applied ({@code false}: a duplicate)
     */
    public boolean applyAgentEvent(long seq, CallEvent event) {
        if (seq <= lastSeq) {
            duplicatesDropped++;
            return false;
        }
        lastSeq = seq;
        alertPendingSeq = -1;
        String agentId = event.metadata().path("agent_id").asText(null);
        if (AGENT_AVAILABLE.equals(event.type())) {
            metrics.agentAvailable(agentId, event.timestamp());
        } else if (AGENT_PRESENCE.equals(event.type()) && event.metadata().path("presence").isTextual()) {
            JsonNode reason = event.metadata().path("reason");
            metrics.agentPresence(agentId, event.metadata().get("presence").asText(),
                reason.isTextual() ? reason.asText() : null, event.timestamp());
        }
        return true;
    }

    public void applyMetrics(Metrics m) {
        queueNames.learn(m.queues());
        metrics.apply(m);
        m.queues().forEach(q -> calls.learn(q.id(), null));
        m.agents().forEach(a -> calls.learn(null, a.id()));
    }

    /**
     * {@code subscribed {seq}}: the server's position when the subscription began. Pushes after it
     * are live; a later resume starts from here at the earliest.
     */
    public void applySubscribed(long seq) {
        if (seq > lastSeq) {
            lastSeq = seq;
            alertPendingSeq = -1;
        }
    }

    /**
     * {@code resumed {after_seq, to_seq}}: whether the server's log seems to end before what the
     * console has seen. That happens after a server restart (call-server 0.1 reports {@code to_seq}
     * 0 until its first new event) and after a reset to a new database; the owner tells them apart
     * (see {@code Console}) and calls {@link #reset} for the latter.
     */
    public boolean applyResumed(long afterSeq, long toSeq) {
        return toSeq < afterSeq;
    }

    /** The server's log was reset (a new database): forget everything and start over from {@code seq}. */
    public void reset(long seq) {
        calls.clear();
        alerts.clear();
        history.show(null, null);
        lastSeq = seq;
        alertPendingSeq = -1;
    }

    // --- REST snapshots -----------------------------------------------------------------------

    /**
     * Calls, open alerts, queues and agents read over REST after subscribing. {@code openAlerts}
     * may also hold acknowledged ones (the newest alerts of any state): they go to the
     * acknowledged list, with who acknowledged them.
     */
    public void applySnapshot(List<Call> callList, List<Alert> openAlerts, List<QueueStats> queueList,
                              List<AgentStats> agentList) {
        applySnapshot(callList, openAlerts, queueList, agentList, null);
    }

    /** A snapshot with the center's figures ({@code GET /api/center}; {@code null} when the server has none). */
    public void applySnapshot(List<Call> callList, List<Alert> openAlerts, List<QueueStats> queueList,
                              List<AgentStats> agentList, TodayFigures center) {
        if (center != null) {
            metrics.setCenter(center);
        }
        queueNames.learn(queueList);
        queueList.forEach(q -> calls.learn(q.id(), null));
        agentList.forEach(a -> calls.learn(null, a.id()));
        metrics.setQueues(queueList);
        metrics.setAgents(agentList);
        calls.loadSnapshot(callList);
        alerts.load(openAlerts);
        loaded.set(true);
    }

    /** Shows a call's history pane (or none for {@code null}); the history is loading until {@link #historyLoaded}. */
    public void select(String callId) {
        history.show(callId, callId == null ? null : calls.call(callId));
    }

    public void historyLoaded(String callId, List<CallEvent> events) {
        history.loaded(callId, events);
    }

    public void historyFailed(String callId, String message) {
        history.failed(callId, message);
    }

    /**
     * The reply to this console's own presence change: the agent as the server has it now. Like
     * an acknowledgement's reply it has no place in the seq order; its {@code agent_event} follows.
     */
    public void applyAgentReply(AgentStats agent) {
        metrics.agentReplied(agent);
        calls.learn(null, agent.id());
    }

    /** A reply to a simulator action: the call's new state, unless a push already brought a newer one. */
    public void applyActionReply(Call call) {
        CallRow row = calls.row(call.id());
        if (row == null) {
            calls.upsert(call, 0);
        }
    }

    // --- connection and messages --------------------------------------------------------------

    public void setConnection(ConnectionState state, String detail) {
        connection.set(state);
        connectionDetail.set(detail == null ? "" : detail);
    }

    /** A short message for the status bar (action results, errors). */
    public void notice(String message) {
        notice.set(message == null ? "" : message);
    }

    public void onNewAlert(Consumer<Alert> listener) {
        alertListeners.add(listener);
    }

    /** Where a resume should start: the last seq applied, one earlier if its alert is missing. */
    public long resumeAfter() {
        long last = lastSeq;
        return alertPendingSeq == last && last > 0 ? last - 1 : last;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    public CallsViewModel calls() {
        return calls;
    }

    /** Queue ids to names, for every view. */
    public QueueNames queueNames() {
        return queueNames;
    }

    public HistoryViewModel history() {
        return history;
    }

    public AlertsViewModel alerts() {
        return alerts;
    }

    public MetricsViewModel metrics() {
        return metrics;
    }

    public ReportsViewModel reports() {
        return reports;
    }

    public ReadOnlyObjectProperty<ConnectionState> connectionProperty() {
        return connection.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty connectionDetailProperty() {
        return connectionDetail.getReadOnlyProperty();
    }

    /** Whether the first REST snapshot has been applied (until then the table shows pushes only). */
    public javafx.beans.property.ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }
}
