package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The selected call's history, growing live. The REST history and the live pushes race: both are
 * merged by {@code seq} (kept in order, each entry once), whichever comes first. FX-thread only.
 */
public final class HistoryViewModel {

    private final ReadOnlyStringWrapper callId = new ReadOnlyStringWrapper(this, "callId");
    private final ReadOnlyObjectWrapper<Call> call = new ReadOnlyObjectWrapper<>(this, "call");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ObservableList<CallEvent> entries = FXCollections.observableArrayList();
    private final Set<Long> seqs = new HashSet<>();

    /** Shows {@code id} (or nothing for {@code null}); its history is then loading. */
    void show(String id, Call current) {
        if (Objects.equals(id, callId.get())) {
            return;
        }
        callId.set(id);
        call.set(current);
        entries.clear();
        seqs.clear();
        error.set(null);
        loading.set(id != null);
    }

    /** The REST history of {@code id}; ignored if the selection moved on meanwhile. */
    void loaded(String id, List<CallEvent> events) {
        if (!Objects.equals(id, callId.get())) {
            return;
        }
        for (CallEvent e : events) {
            insert(e);
        }
        loading.set(false);
    }

    void failed(String id, String message) {
        if (Objects.equals(id, callId.get())) {
            loading.set(false);
            error.set(message);
        }
    }

    /** A live push: appended if it is the shown call's and not already there. */
    void onEvent(CallEvent e, Call after) {
        if (callId.get() != null && callId.get().equals(e.callId())) {
            call.set(after);
            insert(e);
        }
    }

    private void insert(CallEvent e) {
        if (!seqs.add(e.seq())) {
            return;
        }
        int at = entries.size();
        while (at > 0 && entries.get(at - 1).seq() > e.seq()) {
            at--;
        }
        entries.add(at, e);
    }

    public ReadOnlyStringProperty callIdProperty() {
        return callId.getReadOnlyProperty();
    }

    /** The shown call's latest state. */
    public ReadOnlyObjectProperty<Call> callProperty() {
        return call.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    public ObservableList<CallEvent> entries() {
        return FXCollections.unmodifiableObservableList(entries);
    }
}
