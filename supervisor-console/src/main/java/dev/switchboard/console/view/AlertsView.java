package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.AlertsViewModel;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.QueueNames;
import dev.switchboard.console.wire.Alert;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;

/**
 * Open alerts, newest first, each with its Acknowledge button; clicking one shows its call. Above
 * them "Ack all N" (one request for all of them) and an optional note for the next
 * acknowledgement. Below, the last closed ones: who acknowledged each, when, and the note; or that
 * it resolved itself when its call moved on.
 */
final class AlertsView extends VBox {

    private final ListView<Alert> list = new ListView<>();
    private final ListView<Alert> acked = new ListView<>();

    AlertsView(Console console, Consumer<String> showCall) {
        AlertsViewModel vm = console.state().alerts();
        getStyleClass().addAll("panel", "alerts");
        setSpacing(8);

        Label title = new Label("Alerts");
        title.getStyleClass().add("panel-title");
        Label count = new Label();
        count.setId("alert-count");
        count.getStyleClass().add("badge");
        count.textProperty().bind(vm.openCountBinding().asString());
        count.visibleProperty().bind(vm.openCountBinding().greaterThan(0));
        Button ackAll = new Button();
        ackAll.setId("ack-all");
        ackAll.getStyleClass().add("ghost");
        ackAll.textProperty().bind(Bindings.when(vm.ackingProperty()).then("Acknowledging…").otherwise(
            Bindings.when(vm.openCountBinding().greaterThan(1)).then(Bindings.concat("Ack all ", vm.openCountBinding().asString()))
                .otherwise("Ack all")));
        ackAll.disableProperty().bind(Bindings.isEmpty(vm.open()).or(vm.ackingProperty()));
        ackAll.setTooltip(new Tooltip("Acknowledge every open alert listed, in one request, with the note if any (Ctrl+Shift+K)"));
        ackAll.setOnAction(e -> console.acknowledgeAll());
        HBox head = new HBox(8, title, count, spacer(), ackAll);
        head.setAlignment(Pos.CENTER_LEFT);

        TextField note = new TextField();
        note.setId("alert-note");
        note.setPromptText("Note for the next acknowledgement (optional)");
        note.setTooltip(new Tooltip("Kept with the acknowledgement (one or all) and shown under Recently closed; at most "
            + AlertsViewModel.MAX_NOTE + " characters"));
        note.textProperty().bindBidirectional(vm.noteProperty());
        note.pseudoClassStateChanged(TOO_LONG, false);
        vm.noteProperty().addListener((o, a, b) -> note.pseudoClassStateChanged(TOO_LONG, vm.typedNote().problem() != null));

        list.setId("alerts-list");
        list.setItems(vm.open());
        list.setPlaceholder(new Label("No open alerts"));
        list.setCellFactory(l -> new AlertCell(console));
        console.state().queueNames().revisionProperty().addListener((o, a, b) -> list.refresh());
        vm.selectedProperty().bind(list.getSelectionModel().selectedItemProperty());
        list.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                showCall.accept(b.callId());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        Label ackedTitle = new Label("Recently closed");
        ackedTitle.getStyleClass().add("section-title");
        acked.setId("acked-alerts");
        acked.setItems(vm.closed());
        acked.setPrefHeight(96);
        acked.setMinHeight(64);
        acked.setFocusTraversable(false);
        acked.setPlaceholder(new Label("None yet"));
        acked.setCellFactory(l -> new AckedCell());
        acked.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                showCall.accept(b.callId());
            }
        });
        getChildren().addAll(head, note, list, ackedTitle, acked);
    }

    private static final javafx.css.PseudoClass TOO_LONG = javafx.css.PseudoClass.getPseudoClass("too-long");

    /**
     * A closed alert: its kind and call, and how it closed: "acknowledged by key:… at 10:03:12 — “note”"
     * or "resolved at 10:03:12: call answered".
     */
    private static final class AckedCell extends ListCell<Alert> {
        private static final javafx.css.PseudoClass RESOLVED = javafx.css.PseudoClass.getPseudoClass("resolved");
        private final Label what = new Label();
        private final Label who = new Label();
        private final VBox box = new VBox(1, what, who);

        AckedCell() {
            what.getStyleClass().add("alert-kind");
            who.getStyleClass().addAll("muted", "acked-by");
            who.setWrapText(true);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(Alert a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setGraphic(null);
                return;
            }
            what.setText(Format.flag(a.kind()) + " · call " + a.callId());
            who.setText(Format.closed(a));
            pseudoClassStateChanged(RESOLVED, a.ackedAt() == null);
            setGraphic(box);
        }
    }

    ListView<Alert> acknowledgedList() {
        return acked;
    }

    private static final class AlertCell extends ListCell<Alert> {
        private final Label kind = new Label();
        private final Label when = new Label();
        private final Label message = new Label();
        private final Tooltip messageTip = new Tooltip();
        private final Label where = new Label();
        private final Button ack = new Button("Acknowledge");
        private final VBox box;
        private final QueueNames names;

        AlertCell(Console console) {
            names = console.state().queueNames();
            kind.getStyleClass().add("alert-kind");
            when.getStyleClass().add("muted");
            message.getStyleClass().add("alert-message");
            // one line, whole in its tooltip: compact cards, so a flood still shows several at once
            message.setTooltip(messageTip);
            where.getStyleClass().add("muted");
            ack.getStyleClass().addAll("ack-button", "accent", "small");
            ack.setTooltip(new Tooltip("Acknowledge, with the note if any (Ctrl+K: the selected alert)"));
            ack.setOnAction(e -> console.acknowledge(getItem()));
            HBox top = new HBox(8, kind, when, spacer(), ack);
            top.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(3, top, message, where);
            box.getStyleClass().add("alert-card");
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(Alert a, boolean empty) {
            super.updateItem(a, empty);
            if (empty || a == null) {
                setGraphic(null);
                return;
            }
            kind.setText(Format.flag(a.kind()));
            kind.getStyleClass().removeIf(s -> s.startsWith("kind-"));
            kind.getStyleClass().add("kind-" + a.kind());
            when.setText(Format.time(a.at()));
            message.setText(names.inText(a.message(), a.queueId()));
            messageTip.setText(message.getText());
            where.setText("Call " + a.callId() + (a.queueId() == null ? "" : " · " + names.name(a.queueId()))
                + (a.agentId() == null ? "" : " · " + a.agentId()));
            ack.setUserData(a.id());
            setGraphic(box);
        }
    }

    ListView<Alert> list() {
        return list;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
