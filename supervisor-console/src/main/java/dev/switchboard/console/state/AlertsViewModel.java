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
 * Open alerts, newest first, and the last {@link #ACKED_SHOWN} acknowledged (most recently
 * acknowledged first, with who did it). Alerts are known by id: one raised twice (a replay after a
 * reconnect, or a REST load racing the push) is shown once, and an acknowledged one never comes
 * back. FX-thread only.
 */
public final class AlertsViewModel {

    /** Acknowledged alerts listed. */
    public static final int ACKED_SHOWN = 10;

    private final ObservableList<Alert> open = FXCollections.observableArrayList();
    private final ObservableList<Alert> acknowledged = FXCollections.observableArrayList();
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
        if (!a.isOpen()) {
            listAcked(a);
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
     * known, announces none. An acknowledged one seen as open in another list stays acknowledged.
     */
    void load(List<Alert> alerts) {
        alerts.stream().filter(a -> !a.isOpen()).forEach(this::acked);
        alerts.stream().sorted(Comparator.comparingLong(Alert::seq)).forEach(this::raised);
    }

    /** Acknowledged (by this console or another supervisor): leaves the open list, joins the acknowledged. */
    void acked(Alert a) {
        Alert before = known.get(a.id());
        Alert merged = before == null ? a : before.ackedAs(a);
        known.put(a.id(), merged);
        open.removeIf(x -> x.id().equals(a.id()));
        listAcked(merged);
    }

    private void listAcked(Alert a) {
        acknowledged.removeIf(x -> x.id().equals(a.id()));
        int at = 0;
        while (at < acknowledged.size() && acknowledged.get(at).ackedAt() != null && a.ackedAt() != null
            && acknowledged.get(at).ackedAt().isAfter(a.ackedAt())) {
            at++;
        }
        acknowledged.add(at, a);
        if (acknowledged.size() > ACKED_SHOWN) {
            acknowledged.remove(ACKED_SHOWN, acknowledged.size());
        }
    }

    void clear() {
        open.clear();
        acknowledged.clear();
        known.clear();
    }

    /** The last acknowledged alerts, most recently acknowledged first. */
    public ObservableList<Alert> acknowledged() {
        return FXCollections.unmodifiableObservableList(acknowledged);
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
