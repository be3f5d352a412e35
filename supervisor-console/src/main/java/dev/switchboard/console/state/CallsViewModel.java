package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The calls table: every known call once (upsert by id), the filters (status, queue, agent, free
 * text) and the clock the wait and talk times tick with. FX-thread only; it knows no sockets.
 */
public final class CallsViewModel {

    /** Ended calls kept in memory (the oldest go first); live calls are always kept. */
    public static final int MAX_ENDED_ROWS = 500;

    /** Waiting first (longest wait on top), then on hold, active, ended (latest on top); ties by id. */
    public static final Comparator<CallRow> DEFAULT_ORDER = Comparator
        .comparingInt((CallRow r) -> statusRank(r.call().status()))
        .thenComparing(r -> sortTime(r.call()), Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(CallRow::id);

    private final ObjectProperty<Instant> now = new SimpleObjectProperty<>(this, "now", Instant.now());
    private final ObservableList<CallRow> rows = FXCollections.observableArrayList(
        r -> new Observable[] {r.callProperty()});
    private final Map<String, CallRow> byId = new HashMap<>();
    private final FilteredList<CallRow> filtered = new FilteredList<>(rows);
    private final SortedList<CallRow> sorted = new SortedList<>(filtered, DEFAULT_ORDER);

    private final ObjectProperty<StatusFilter> status = new SimpleObjectProperty<>(this, "status", StatusFilter.LIVE);
    private final StringProperty queue = new SimpleStringProperty(this, "queue");
    private final StringProperty agent = new SimpleStringProperty(this, "agent");
    private final StringProperty search = new SimpleStringProperty(this, "search", "");

    private final ObservableList<String> queueOptions = FXCollections.observableArrayList();
    private final ObservableList<String> agentOptions = FXCollections.observableArrayList();
    private final TreeSet<String> knownQueues = new TreeSet<>();
    private final TreeSet<String> knownAgents = new TreeSet<>();

    private final ReadOnlyIntegerWrapper waiting = new ReadOnlyIntegerWrapper(this, "waiting");
    private final ReadOnlyIntegerWrapper active = new ReadOnlyIntegerWrapper(this, "active");
    private final ReadOnlyIntegerWrapper onHold = new ReadOnlyIntegerWrapper(this, "onHold");

    private final QueueNames queueNames;

    public CallsViewModel() {
        this(new QueueNames());
    }

    /** @param queueNames the names the free-text search also matches (a queue's name as well as its id) */
    public CallsViewModel(QueueNames queueNames) {
        this.queueNames = queueNames;
        filtered.predicateProperty().bind(Bindings.createObjectBinding(this::predicate, status, queue, agent, search,
            queueNames.revisionProperty()));
    }

    private Predicate<CallRow> predicate() {
        StatusFilter s = status.get() == null ? StatusFilter.ALL : status.get();
        String q = blankToNull(queue.get());
        String a = blankToNull(agent.get());
        String text = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        return row -> {
            Call c = row.call();
            return s.test(c)
                && (q == null || q.equals(c.queueId()))
                && (a == null || a.equals(c.agentId()))
                && (text.isEmpty() || matches(c, text));
        };
    }

    private boolean matches(Call c, String text) {
        return contains(c.id(), text) || contains(c.queueId(), text) || contains(queueNames.name(c.queueId()), text)
            || contains(c.agentId(), text)
            || contains(c.type(), text) || contains(c.status(), text) || contains(c.phase(), text)
            || contains(c.endReason(), text) || c.flags().stream().anyMatch(f -> contains(f, text));
    }

    private static boolean contains(String value, String lowerText) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerText);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * Puts a call's latest state in its row, adding the row on first sight.
     *
     * @param pushSeq the seq of the push that carried it, or 0 for a REST snapshot
     * @return the row
     */
    CallRow upsert(Call call, long pushSeq) {
        CallRow row = byId.get(call.id());
        if (row == null) {
            row = new CallRow(call, pushSeq, now);
            byId.put(call.id(), row);
            rows.add(row);
            pruneEnded();
        } else {
            row.update(call, pushSeq);
        }
        learn(call.queueId(), call.agentId());
        recount();
        return row;
    }

    /** A snapshot from REST: applied only to calls no push has touched (a push is never older). */
    void loadSnapshot(List<Call> calls) {
        for (Call c : calls) {
            CallRow row = byId.get(c.id());
            if (row == null || row.seq() == 0) {
                upsert(c, 0);
            }
        }
    }

    void clear() {
        rows.clear();
        byId.clear();
        recount();
    }

    /** Queues and agents the filters offer: the configured ones and every one seen on a call. */
    void learn(String queueId, String agentId) {
        if (queueId != null && knownQueues.add(queueId)) {
            queueOptions.setAll(knownQueues);
        }
        if (agentId != null && knownAgents.add(agentId)) {
            agentOptions.setAll(knownAgents);
        }
    }

    private void pruneEnded() {
        long ended = rows.stream().filter(r -> !r.call().isLive()).count();
        if (ended <= MAX_ENDED_ROWS) {
            return;
        }
        List<CallRow> oldest = rows.stream().filter(r -> !r.call().isLive())
            .sorted(Comparator.comparing(r -> r.call().endTime(), Comparator.nullsFirst(Comparator.naturalOrder())))
            .limit(ended - MAX_ENDED_ROWS).toList();
        for (CallRow r : oldest) {
            byId.remove(r.id());
        }
        rows.removeAll(oldest);
    }

    private void recount() {
        int w = 0;
        int a = 0;
        int h = 0;
        for (Iterator<CallRow> it = rows.iterator(); it.hasNext(); ) {
            switch (it.next().call().status()) {
                case Call.WAITING -> w++;
                case Call.ACTIVE -> a++;
                case Call.ON_HOLD -> h++;
                default -> { }
            }
        }
        waiting.set(w);
        active.set(a);
        onHold.set(h);
    }

    private static int statusRank(String status) {
        return switch (status == null ? "" : status) {
            case Call.WAITING -> 0;
            case Call.ON_HOLD -> 1;
            case Call.ACTIVE -> 2;
            default -> 3;
        };
    }

    /** Waiting: oldest wait first; active and on hold: oldest answer first; ended: latest first. */
    private static Instant sortTime(Call c) {
        if (c.isWaiting()) {
            return c.waitStartTime() != null ? c.waitStartTime() : c.startTime();
        }
        if (c.isLive()) {
            return c.answerTime();
        }
        return c.endTime() == null ? null : Instant.ofEpochMilli(-c.endTime().toEpochMilli());
    }

    /** Clears the queue, agent and text filters and shows the live calls. */
    public void clearFilters() {
        status.set(StatusFilter.LIVE);
        queue.set(null);
        agent.set(null);
        search.set("");
    }

    public CallRow row(String callId) {
        return byId.get(callId);
    }

    public Call call(String callId) {
        CallRow r = byId.get(callId);
        return r == null ? null : r.call();
    }

    /** Every row, unfiltered (insertion order). */
    public ObservableList<CallRow> rows() {
        return FXCollections.unmodifiableObservableList(rows);
    }

    /** The filtered rows in {@link #DEFAULT_ORDER}; a table binds its own order to {@code comparatorProperty()}. */
    public SortedList<CallRow> visibleRows() {
        return sorted;
    }

    public ObjectProperty<Instant> nowProperty() {
        return now;
    }

    public ObjectProperty<StatusFilter> statusProperty() {
        return status;
    }

    public StringProperty queueProperty() {
        return queue;
    }

    public StringProperty agentProperty() {
        return agent;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public ObservableList<String> queueOptions() {
        return queueOptions;
    }

    public ObservableList<String> agentOptions() {
        return agentOptions;
    }

    public ReadOnlyIntegerProperty waitingProperty() {
        return waiting.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty activeProperty() {
        return active.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty onHoldProperty() {
        return onHold.getReadOnlyProperty();
    }
}
