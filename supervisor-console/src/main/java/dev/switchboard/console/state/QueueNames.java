package dev.switchboard.console.state;

import dev.switchboard.console.wire.QueueStats;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.value.ObservableValue;
import javafx.util.StringConverter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns a queue id into the name a supervisor reads ({@code medical_spanish} →
 * "Medical Spanish"), for every view: the calls table and its filter, a call's details, alerts,
 * notifications, the metrics and the reports. An id the console has no name for (a queue the
 * server does not list, or before the first snapshot) reads as itself.
 *
 * <p>Names come from {@code GET /api/queues} at sign-in and from every {@code metrics} push, which
 * carries all the queues with their names; so a queue renamed or added at runtime
 * ({@code PUT /api/queues/{id}}) reads right within a second. A queue that disappears keeps its
 * last name: its old calls and alerts still mention it. {@link #revisionProperty()} changes when a
 * name does, so a binding made with {@link #nameOf} follows renames. FX-thread only.
 */
public final class QueueNames {

    private final Map<String, String> byId = new HashMap<>();
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");

    /** The queue's name, or its id when unknown; {@code null} for no queue. */
    public String name(String queueId) {
        if (queueId == null) {
            return null;
        }
        return byId.getOrDefault(queueId, queueId);
    }

    /**
     * The queues as the server lists them now (a snapshot or a {@code metrics} push).
     *
     * @return whether a name was added or changed
     */
    boolean learn(List<QueueStats> queues) {
        boolean changed = false;
        for (QueueStats q : queues) {
            if (q.id() != null && q.name() != null && !q.name().equals(byId.put(q.id(), q.name()))) {
                changed = true;
            }
        }
        if (changed) {
            revision.set(revision.get() + 1);
        }
        return changed;
    }

    /** The name of the queue {@code queueId} holds, kept current as it changes and as queues are renamed. */
    public StringBinding nameOf(ObservableValue<String> queueId) {
        return Bindings.createStringBinding(() -> name(queueId.getValue()), queueId, revision);
    }

    /**
     * For a queue picker whose items are ids: each shown by its name; {@code any} (the "All queues"
     * item) as itself. Only for showing: nothing is typed into a picker.
     */
    public StringConverter<String> converter(String any) {
        return new StringConverter<>() {
            @Override
            public String toString(String id) {
                return id == null || id.equals(any) ? id : name(id);
            }

            @Override
            public String fromString(String shown) {
                return shown;
            }
        };
    }

    /**
     * A sentence the server wrote with a queue's id in it ("has waited 45 s in legal_french") with
     * the id as its name ("in Legal French"); the id is replaced only as a whole word.
     */
    public String inText(String text, String queueId) {
        if (text == null || queueId == null || !byId.containsKey(queueId)) {
            return text;
        }
        return text.replaceAll("(?<![A-Za-z0-9._:-])" + java.util.regex.Pattern.quote(queueId) + "(?![A-Za-z0-9._:-])",
            java.util.regex.Matcher.quoteReplacement(name(queueId)));
    }

    /** Changes whenever a name is added or changed. */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }
}
