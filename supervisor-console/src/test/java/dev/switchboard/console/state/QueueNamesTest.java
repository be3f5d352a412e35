package dev.switchboard.console.state;

import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.Metrics;
import dev.switchboard.console.wire.QueueStats;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.switchboard.console.state.Calls.event;
import static dev.switchboard.console.state.Calls.waiting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Queue ids read as names, from the snapshot and every metrics push; an unknown id reads as itself. */
class QueueNamesTest {

    private final CenterState state = new CenterState();

    @Test
    void anUnknownQueueReadsAsItsIdUntilTheServerNamesIt() {
        QueueNames names = state.queueNames();
        assertEquals("overflow_7", names.name("overflow_7"));
        assertNull(names.name(null), "no queue, no name");

        state.applySnapshot(List.of(), List.of(), List.of(queue("medical_spanish", "Medical Spanish")), List.of());

        assertEquals("Medical Spanish", names.name("medical_spanish"));
        assertEquals("overflow_7", names.name("overflow_7"), "still unknown");
    }

    @Test
    void aQueueRenamedOrAddedAtRuntimeIsNamedFromTheNextMetricsPushAndBindingsFollow() {
        state.applySnapshot(List.of(), List.of(), List.of(queue("legal_french", "Legal French")), List.of());
        SimpleStringProperty shownQueue = new SimpleStringProperty("legal_french");
        StringBinding shown = state.queueNames().nameOf(shownQueue);
        assertEquals("Legal French", shown.get());
        long before = state.queueNames().revisionProperty().get();

        state.applyMetrics(metrics(queue("legal_french", "French Legal Desk"), queue("night", "Night Line")));

        assertEquals("French Legal Desk", shown.get(), "a rename reaches what is bound");
        assertEquals("Night Line", state.queueNames().name("night"), "a queue added at runtime");
        assertTrue(state.queueNames().revisionProperty().get() > before);
        shownQueue.set("night");
        assertEquals("Night Line", shown.get(), "the bound id changing is followed too");
    }

    @Test
    void theSameNamesAgainChangeNothing() {
        QueueNames names = state.queueNames();
        assertTrue(names.learn(List.of(queue("q1", "One"))));
        long revision = names.revisionProperty().get();
        assertFalse(names.learn(List.of(queue("q1", "One"))), "a metrics push a second repeats them");
        assertEquals(revision, names.revisionProperty().get(), "no redraw for nothing");
    }

    @Test
    void aQueueWithoutANameReadsAsItsIdAsTheServerDefaultsIt() {
        QueueStats unnamed = QueueStats.fromJson(Json.parse("{\"id\": \"q9\", \"agents\": [], \"metrics\": {}}"));
        state.applyMetrics(new Metrics(List.of(unnamed), List.of(), null));
        assertEquals("q9", state.queueNames().name("q9"));
    }

    @Test
    void theSearchFindsACallByItsQueuesName() {
        state.applySnapshot(List.of(), List.of(), List.of(queue("medical_spanish", "Medical Spanish")), List.of());
        state.applyCallEvent(1, event(1, "c1", "call_initiated"), waiting("c1", "medical_spanish"));
        state.applyCallEvent(2, event(2, "c2", "call_initiated"), waiting("c2", "legal_french"));

        state.calls().searchProperty().set("spanish");
        assertEquals(List.of("c1"), state.calls().visibleRows().stream().map(CallRow::id).toList());
        state.calls().searchProperty().set("medical sp");
        assertEquals(List.of("c1"), state.calls().visibleRows().stream().map(CallRow::id).toList(), "as the name reads");
    }

    @Test
    void pickersShowNamesButKeepTheIdAndTheirAllChoice() {
        state.applyMetrics(metrics(queue("medical_spanish", "Medical Spanish")));
        var converter = state.queueNames().converter("All queues");
        assertEquals("Medical Spanish", converter.toString("medical_spanish"));
        assertEquals("All queues", converter.toString("All queues"));
        assertEquals("gone", converter.toString("gone"));
    }

    @Test
    void aTransfersQueueInAHistoryEntryReadsAsItsName() {
        state.applyMetrics(metrics(queue("legal_french", "Legal French")));
        var metadata = Json.object().put("source", "external").put("queue_id", "legal_french").put("reason", "language");
        var e = new dev.switchboard.console.wire.CallEvent("e1", "c1", "call_transferred", Calls.T0, metadata, 1);
        assertEquals("queue Legal French · reason language", e.details(state.queueNames()::name));
    }

    @Test
    void aQueueIdInTheServersSentenceReadsAsItsNameAsAWholeWordOnly() {
        state.applyMetrics(metrics(queue("legal_french", "Legal French"), queue("q1", "First line")));
        QueueNames names = state.queueNames();
        assertEquals("Call c1 has waited 45 s in Legal French without an answer",
            names.inText("Call c1 has waited 45 s in legal_french without an answer", "legal_french"));
        assertEquals("Call q1x has waited in First line", names.inText("Call q1x has waited in q1", "q1"), "not inside another word");
        assertEquals("waited in night_9", names.inText("waited in night_9", "night_9"), "an unknown queue stays as written");
        assertNull(names.inText(null, "q1"));
    }

    static QueueStats queue(String id, String name) {
        return QueueStats.fromJson(Json.parse("""
            {"id": "%s", "name": "%s", "agents": [], "thresholds": {"sla_max_wait": 30, "sl_target": 0.8},
             "metrics": {"queue_id": "%s", "waiting_now": 0}}""".formatted(id, name, id)));
    }

    private static Metrics metrics(QueueStats... queues) {
        return new Metrics(List.of(queues), List.of(), null);
    }
}
