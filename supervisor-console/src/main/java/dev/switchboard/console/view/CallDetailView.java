package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.CallAction;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.HistoryViewModel;
import dev.switchboard.console.state.QueueNames;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** The selected call: its state, the simulator actions the key allows, and its history growing live. */
final class CallDetailView extends VBox {

    private final HistoryViewModel vm;
    private final QueueNames names;
    private final Label title = new Label("No call selected");
    private final StatusPill status = new StatusPill();
    private final Label facts = new Label("Select a call to see its history.");
    private final ListView<CallEvent> history = new ListView<>();
    private final Map<CallAction, Button> buttons = new EnumMap<>(CallAction.class);

    /** @param act runs an action on the shown call (the view asks for a target where one is needed) */
    CallDetailView(Console console, BiConsumer<CallAction, Call> act) {
        this.vm = console.state().history();
        this.names = console.state().queueNames();
        getStyleClass().addAll("panel", "detail");
        setSpacing(8);

        title.getStyleClass().add("panel-title");
        title.setId("detail-title");
        HBox head = new HBox(10, title, spacer(), status);
        head.setAlignment(Pos.CENTER_LEFT);
        facts.getStyleClass().add("muted");
        facts.setId("detail-facts");
        facts.setWrapText(true);
        getChildren().addAll(head, facts);

        if (console.canSimulate()) {
            FlowPane actions = new FlowPane(6, 6);
            actions.getStyleClass().add("actions");
            for (CallAction a : CallAction.values()) {
                Button b = new Button(a.label());
                b.setId("action-" + a.name().toLowerCase(java.util.Locale.ROOT));
                b.getStyleClass().add(a == CallAction.END ? "danger" : "ghost");
                b.setDisable(true);
                b.setOnAction(e -> act.accept(a, vm.callProperty().get()));
                buttons.put(a, b);
                actions.getChildren().add(b);
            }
            getChildren().add(actions);
        }

        Label historyTitle = new Label("History");
        historyTitle.getStyleClass().add("section-title");
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.textProperty().bind(Bindings.createStringBinding(
            () -> vm.loadingProperty().get() ? "loading…" : vm.entries().isEmpty() ? "" : vm.entries().size() + " entries",
            vm.loadingProperty(), vm.entries()));
        HBox historyHead = new HBox(8, historyTitle, count);
        historyHead.setAlignment(Pos.BASELINE_LEFT);

        history.setId("history");
        history.setItems(vm.entries());
        history.setCellFactory(l -> new HistoryCell(names));
        history.setPlaceholder(new Label("No history to show"));
        history.setFocusTraversable(false);
        VBox.setVgrow(history, Priority.ALWAYS);
        vm.entries().addListener((ListChangeListener<CallEvent>) c -> {
            if (!vm.entries().isEmpty()) {
                history.scrollTo(vm.entries().size() - 1);
            }
        });
        getChildren().addAll(historyHead, history);

        vm.callProperty().addListener((o, a, b) -> showCall(b));
        names.revisionProperty().addListener((o, a, b) -> {
            showCall(vm.callProperty().get());
            history.refresh();
        });
        vm.errorProperty().addListener((o, a, b) -> {
            if (b != null) {
                facts.setText("History unavailable: " + b);
            }
        });
        showCall(vm.callProperty().get());
    }

    private void showCall(Call c) {
        buttons.forEach((a, b) -> b.setDisable(!a.allowedFor(c)));
        if (c == null) {
            title.setText(vm.callIdProperty().get() == null ? "No call selected" : "Call " + vm.callIdProperty().get());
            status.show(null, "");
            return;
        }
        title.setText("Call " + c.id());
        status.show(c.status(), StatusPill.callText(c.status(), c.phase()));
        StringBuilder f = new StringBuilder(Format.words(c.type())).append(" · ").append(names.name(c.queueId()));
        if (c.agentId() != null) {
            f.append(" · ").append(c.agentId());
        }
        f.append("\nStarted ").append(Format.time(c.startTime()));
        if (c.answerTime() != null) {
            f.append(" · answered ").append(Format.time(c.answerTime()));
        }
        if (c.endTime() != null) {
            f.append(" · ended ").append(Format.time(c.endTime()));
            if (c.endReason() != null) {
                f.append(" (").append(c.endReason()).append(')');
            }
        }
        if (c.waitTime() != null) {
            f.append("\nWaited ").append(Format.seconds(c.waitTime()));
        }
        if (c.duration() != null) {
            f.append(" · talked ").append(Format.seconds(c.duration()));
        }
        facts.setText(f.toString());
    }

    /**
     * One history entry: time, what happened, its details; the service's and the supervisors' own
     * entries marked. An acknowledgement and an expiry read as a sentence ({@link Format#entry}).
     */
    private static final class HistoryCell extends ListCell<CallEvent> {
        private final QueueNames names;
        private final Label time = new Label();
        private final Label type = new Label();
        private final Label source = new Label("system");
        private final Label details = new Label();
        private final VBox box;

        HistoryCell(QueueNames names) {
            this.names = names;
            time.getStyleClass().add("history-time");
            type.getStyleClass().add("history-type");
            source.getStyleClass().add("tag");
            details.getStyleClass().add("history-details");
            details.setWrapText(true);
            HBox line = new HBox(8, time, type, source);
            line.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(2, line, details);
            box.getStyleClass().add("history-entry");
            setPrefWidth(0);   // wrap to the list's width instead of scrolling sideways
        }

        @Override
        protected void updateItem(CallEvent e, boolean empty) {
            super.updateItem(e, empty);
            getStyleClass().removeAll("entry-alert", "entry-system");
            if (empty || e == null) {
                setGraphic(null);
                return;
            }
            time.setText(Format.time(e.timestamp()));
            type.setText(Format.words(e.type()));
            boolean marked = e.isSystem() || e.isSupervisor();
            source.setText(e.isSupervisor() ? "supervisor" : "system");
            source.setVisible(marked);
            source.setManaged(marked);
            int i = getIndex();
            CallEvent previous = i > 0 && getListView() != null && i - 1 < getListView().getItems().size()
                ? getListView().getItems().get(i - 1) : null;
            String sentence = Format.entry(e, previous);
            String d = sentence != null ? sentence : e.details(names::name);
            details.setText(d);
            details.setVisible(!d.isEmpty());
            details.setManaged(!d.isEmpty());
            if ("alert_raised".equals(e.type())) {
                getStyleClass().add("entry-alert");
            } else if (e.isSystem() || e.isSupervisor()) {
                getStyleClass().add("entry-system");
            }
            setGraphic(box);
        }
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
