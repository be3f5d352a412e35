package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.TrafficViewModel;
import dev.switchboard.console.wire.Traffic;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The server's traffic generator: what it does now (running until when, or how its last run
 * ended, and what it has played), and for admins the rate and time to start it with, Start (or
 * Apply, to change a running one) and Stop. Others see it read-only. Layout and bindings only.
 */
final class TrafficView extends VBox {

    TrafficView(Console console) {
        TrafficViewModel vm = console.traffic();
        getStyleClass().add("traffic");
        setSpacing(10);

        Label title = new Label("Traffic generator");
        title.getStyleClass().add("panel-title");
        StatusPill state = new StatusPill();
        state.setId("traffic-state");
        HBox head = new HBox(10, title, spacer(), state);
        head.setAlignment(Pos.CENTER_LEFT);

        Label summary = new Label();
        summary.setId("traffic-summary");
        summary.setWrapText(true);
        Label counts = new Label();
        counts.setId("traffic-counts");
        counts.getStyleClass().add("muted");
        Runnable show = () -> {
            Traffic t = vm.statusProperty().get();
            state.show(t.running() ? "active" : "ended", t.running() ? "Running" : t.everRan() ? "Stopped" : "Off");
            summary.setText(TrafficViewModel.summary(t, console.now()));
            counts.setText(t.everRan() ? TrafficViewModel.counts(t) : "");
        };
        vm.statusProperty().addListener((o, a, b) -> show.run());
        console.state().calls().nowProperty().addListener((o, a, b) -> show.run());   // the time left ticks
        show.run();

        Label problem = new Label();
        problem.setId("traffic-problem");
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.problemProperty());
        problem.managedProperty().bind(problem.textProperty().isNotEmpty());

        getChildren().addAll(head, summary, counts, controls(console, vm), problem);
        if (!vm.canControl()) {
            Label readOnly = new Label("Only an admin can start or stop it; this shows what it does.");
            readOnly.setId("traffic-read-only");
            readOnly.getStyleClass().add("muted");
            getChildren().add(readOnly);
        }
    }

    private static HBox controls(Console console, TrafficViewModel vm) {
        Spinner<Integer> rate = spinner("traffic-rate", TrafficViewModel.MIN_RATE, TrafficViewModel.MAX_RATE, vm.callsPerMinuteProperty());
        Spinner<Integer> minutes = spinner("traffic-minutes", TrafficViewModel.MIN_MINUTES, TrafficViewModel.MAX_MINUTES, vm.minutesProperty());

        BooleanBinding running = Bindings.createBooleanBinding(() -> vm.statusProperty().get().running(), vm.statusProperty());
        BooleanBinding cannot = Bindings.createBooleanBinding(() -> !vm.canControl(), vm.statusProperty())
            .or(vm.busyProperty()).or(vm.availableProperty().not());
        Button start = new Button();
        start.setId("traffic-start");
        start.getStyleClass().add("accent");
        start.textProperty().bind(Bindings.when(running).then("Apply").otherwise("Start"));
        start.setTooltip(new Tooltip("Start it at this rate for this time; while it runs, change its rate and end"));
        start.disableProperty().bind(cannot);
        start.setOnAction(e -> {
            rate.commitValue();      // a number typed and not yet confirmed counts
            minutes.commitValue();
            console.startTraffic();
        });
        Button stop = new Button("Stop");
        stop.setId("traffic-stop");
        stop.getStyleClass().add("danger");
        stop.setTooltip(new Tooltip("Stop it; the server ends the calls it was playing"));
        stop.disableProperty().bind(cannot.or(running.not()));
        stop.setOnAction(e -> console.stopTraffic());
        rate.disableProperty().bind(cannot);
        minutes.disableProperty().bind(cannot);

        HBox row = new HBox(8, label("Calls a minute"), rate, label("for"), minutes, label("min"), spacer(), start, stop);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** A number the admin picks or types, kept in {@code picked}. */
    private static Spinner<Integer> spinner(String id, int min, int max, javafx.beans.property.IntegerProperty picked) {
        Spinner<Integer> s = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, picked.get()));
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(90);
        // both ways by listeners: a bidirectional binding to picked.asObject() would hang on a
        // wrapper only weakly held, and stop working once it is collected
        s.valueProperty().addListener((o, a, b) -> picked.set(b == null ? 0 : b));
        picked.addListener((o, a, b) -> s.getValueFactory().setValue(b.intValue()));
        return s;
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
