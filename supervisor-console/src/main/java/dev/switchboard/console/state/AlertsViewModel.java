package dev.switchboard.console.state;

import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertResolution;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Open alerts, newest first, and the last {@link #CLOSED_SHOWN} closed ones (acknowledged, with who
 * did it and their note, or resolved by themselves, with what the call did), most recently closed
 * first. Alerts are known by id: one raised twice (a replay after a reconnect, or a REST load racing
 * the push) is shown once, and a closed one never comes back. Also the note typed for the next
 * acknowledgement. FX-thread only.
 */
public final class AlertsViewModel {

    /** Closed alerts listed. */
    public static final int CLOSED_SHOWN = 10;
    /** The longest note the server keeps with an acknowledgement (characters). */
    public static final int MAX_NOTE = 500;
    /** Most alerts one {@code POST /api/alerts/ack} may name (the server's limit). */
    public static final int MAX_BULK = 1_000;

    private final ObservableList<Alert> open = FXCollections.observableArrayList();
    private final ObservableList<Alert> closed = FXCollections.observableArrayList();
    private final Map<String, Alert> known = new HashMap<>();
    private final ObjectProperty<Alert> selected = new SimpleObjectProperty<>(this, "selected");
    private final IntegerBinding openCount = Bindings.size(open);
    private final StringProperty note = new SimpleStringProperty(this, "note", "");
    private final BooleanProperty acking = new SimpleBooleanProperty(this, "acking");

    /**
     * A raised alert (push or REST).
     *
     * @return whether it is new to the console (worth a notification)
     */
    boolean raised(Alert a) {
        Alert before = known.get(a.id());
        if (before != null) {
            return false;
        }
        known.put(a.id(), a);
        if (!a.isOpen()) {
            listClosed(a);
        } else {
            int at = 0;
            while (at < open.size() && open.get(at).seq() > a.seq()) {
                at++;
            }
            open.add(at, a);
        }
        return a.isOpen();
    }

    /**
     * REST load of alerts (open ones, and possibly the newest of any state): adds the ones not yet
     * known, announces none. A closed one seen as open in another list stays closed.
     */
    void load(List<Alert> alerts) {
        alerts.stream().filter(a -> !a.isOpen()).forEach(this::acked);
        alerts.stream().sorted(Comparator.comparingLong(Alert::seq)).forEach(this::raised);
    }

    /**
     * Acknowledged (by this console or another supervisor), or listed closed: leaves the open list,
     * joins the closed.
     */
    void acked(Alert a) {
        Alert before = known.get(a.id());
        Alert merged = before == null ? a : before.updatedBy(a);
        known.put(a.id(), merged);
        open.removeIf(x -> x.id().equals(a.id()));
        listClosed(merged);
    }

    /**
     * Resolved by itself (its call moved on): leaves the open list, joins the closed. An alert the
     * console never had (raised before what it loaded) has nothing to show.
     *
     * @return whether an alert known here changed
     */
    boolean resolved(AlertResolution r) {
        Alert before = known.get(r.id());
        if (before == null || before.resolvedAt() != null) {
            return false;
        }
        Alert merged = before.resolvedAs(r);
        known.put(r.id(), merged);
        open.removeIf(x -> x.id().equals(r.id()));
        listClosed(merged);
        return true;
    }

    private void listClosed(Alert a) {
        closed.removeIf(x -> x.id().equals(a.id()));
        int at = 0;
        while (at < closed.size() && closed.get(at).closedAt() != null && a.closedAt() != null
            && closed.get(at).closedAt().isAfter(a.closedAt())) {
            at++;
        }
        closed.add(at, a);
        if (closed.size() > CLOSED_SHOWN) {
            closed.remove(CLOSED_SHOWN, closed.size());
        }
    }

    void clear() {
        open.clear();
        closed.clear();
        known.clear();
    }

    /**
     * What "Ack all" names in its one request: the open alerts shown when it was pressed, by id (so
     * never one that came in after the click), the oldest {@link #MAX_BULK} at most, oldest first.
     */
    public List<String> bulkIds() {
        List<String> ids = new ArrayList<>(Math.min(open.size(), MAX_BULK));
        for (int i = open.size() - 1; i >= 0 && ids.size() < MAX_BULK; i--) {
            ids.add(open.get(i).id());
        }
        return ids;
    }

    /** A note as typed, checked: {@code note} trimmed ({@code null} when empty), or why it cannot be sent. */
    public record TypedNote(String note, String problem) {
    }

    /** The note typed for the next acknowledgement, checked as the server would. */
    public TypedNote typedNote() {
        String text = note.get() == null ? "" : note.get().strip();
        if (text.codePointCount(0, text.length()) > MAX_NOTE) {
            return new TypedNote(null, "The note is longer than " + MAX_NOTE + " characters");
        }
        return new TypedNote(text.isEmpty() ? null : text, null);
    }

    /** The last closed alerts (acknowledged or resolved), most recently closed first. */
    public ObservableList<Alert> closed() {
        return FXCollections.unmodifiableObservableList(closed);
    }

    public Alert find(String id) {
        return known.get(id);
    }

    public ObservableList<Alert> open() {
        return FXCollections.unmodifiableObservableList(open);
    }

    public IntegerBinding openCountBinding() {
        return openCount;
    }

    /** The alert the list has selected (bound from the view); Ctrl+K acknowledges it. */
    public ObjectProperty<Alert> selectedProperty() {
        return selected;
    }

    /** The note for the next acknowledgement (one or all); cleared once one is made. */
    public StringProperty noteProperty() {
        return note;
    }

    /** Whether an "Ack all" is on its way (the button waits for it). */
    public BooleanProperty ackingProperty() {
        return acking;
    }

    /** What Ctrl+K acknowledges: the selected alert, else the newest open one. */
    public Alert ackTarget() {
        Alert chosen = selected.get();
        if (chosen != null && open.stream().anyMatch(x -> x.id().equals(chosen.id()))) {
            return chosen;
        }
        return open.isEmpty() ? null : open.get(0);
    }
}
