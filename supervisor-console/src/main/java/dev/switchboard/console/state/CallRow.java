package dev.switchboard.console.state;

import dev.switchboard.console.wire.Call;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;

import java.time.Instant;

/**
 * One row of the calls table. The row object stays the same while its call changes, so a table
 * updates the row in place and keeps its selection.
 */
public final class CallRow {

    private final ReadOnlyObjectWrapper<Call> call;
    private final StringBinding elapsed;
    /** The seq of the last push applied to this row; 0 while it only comes from a REST snapshot. */
    private long seq;

    CallRow(Call call, long seq, ObservableValue<Instant> now) {
        this.call = new ReadOnlyObjectWrapper<>(this, "call", call);
        this.seq = seq;
        this.elapsed = Bindings.createStringBinding(() -> Format.clock(this.call.get().elapsed(now.getValue())),
            this.call, now);
    }

    public String id() {
        return call.get().id();
    }

    public Call call() {
        return call.get();
    }

    public ReadOnlyObjectProperty<Call> callProperty() {
        return call.getReadOnlyProperty();
    }

    /** The ticking wait (while waiting) or talk time (once answered). */
    public StringBinding elapsedProperty() {
        return elapsed;
    }

    long seq() {
        return seq;
    }

    void update(Call c, long pushSeq) {
        seq = Math.max(seq, pushSeq);
        call.set(c);
    }
}
