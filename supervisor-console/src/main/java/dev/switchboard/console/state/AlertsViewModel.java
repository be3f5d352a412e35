package dev.switchboard.console.state;

import dev.switchboard.console.wire.Alert;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Open alerts, newest first. Alerts are known by id: one raised twice (a replay after a reconnect,
 * or a REST load racing the push) is shown once, and an acknowledged one never comes back.
 * FX-thread only.
 */
public final class AlertsViewModel {

    private final ObservableList<Alert> open = FXCollections.observableArrayList();
    private final Map<String, Alert> known = new HashMap<>();
    private final ObjectProperty<Alert> selected = new SimpleObjectProperty<>(this, "selected");
    private final IntegerBinding openCount = Bindings.size(open);

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
        if (a.isOpen()) {
            int at = 0;
            while (at < open.size() && open.get(at).seq() > a.seq()) {
                at++;
            }
            open.add(at, a);
        }
        return a.isOpen();
    }

    /** REST load of the open alerts: adds the ones not yet known, announces none. */
    void load(List<Alert> alerts) {
        alerts.stream().sorted(Comparator.comparingLong(Alert::seq)).forEach(this::raised);
    }

    /** Acknowledged (by this console or another supervisor): leaves the open list. */
    void acked(Alert a) {
        known.put(a.id(), a);
        open.removeIf(x -> x.id().equals(a.id()));
    }

    void clear() {
        open.clear();
        known.clear();
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

    /** What Ctrl+K acknowledges: the selected alert, else the newest open one. */
    public Alert ackTarget() {
        Alert chosen = selected.get();
        if (chosen != null && open.stream().anyMatch(x -> x.id().equals(chosen.id()))) {
            return chosen;
        }
        return open.isEmpty() ? null : open.get(0);
    }
}
