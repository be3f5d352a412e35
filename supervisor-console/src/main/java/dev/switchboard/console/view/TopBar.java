package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.CallsViewModel;
import dev.switchboard.console.state.CenterState;
import dev.switchboard.console.state.ConnectionState;
import dev.switchboard.console.state.Format;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableIntegerValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

/** Brand, the center's headline counts, the connection indicator and who is signed in. */
final class TopBar extends HBox {

    TopBar(Console console) {
        CenterState state = console.state();
        CallsViewModel calls = state.calls();
        getStyleClass().add("top-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(14);

        Label mark = new Label("◆");
        mark.getStyleClass().add("brand-mark");
        Label brand = new Label("Switchboard");
        brand.getStyleClass().add("brand");
        Label server = new Label(console.api().base().getAuthority());
        server.getStyleClass().add("muted");

        HBox kpis = new HBox(10,
            kpi("Waiting", calls.waitingProperty(), "kpi-waiting"),
            kpi("Active", calls.activeProperty(), "kpi-active"),
            kpi("On hold", calls.onHoldProperty(), "kpi-hold"),
            kpi("Open alerts", state.alerts().openCountBinding(), "kpi-alerts"),
            centerKpis(state));
        kpis.setAlignment(Pos.CENTER);

        Label role = new Label(console.info().role());
        role.getStyleClass().addAll("tag", "role");

        // the server's traffic generator on: its calls are not real ones (the Traffic tab tells more)
        var traffic = console.traffic().statusProperty();
        Label generated = new Label();
        generated.setId("traffic-tag");
        generated.getStyleClass().addAll("tag", "traffic-tag");
        generated.textProperty().bind(traffic.map(t -> "Traffic · " + t.callsPerMinute() + "/min"));
        generated.visibleProperty().bind(traffic.map(t -> t.running()));
        generated.managedProperty().bind(generated.visibleProperty());
        Tooltip.install(generated, new Tooltip("The server's traffic generator is playing calls (ids gen-…); see the Traffic tab"));

        getChildren().addAll(mark, brand, server, spacer(), kpis, spacer(), generated, connection(state), role);
    }

    private static VBox kpi(String name, ObservableIntegerValue value, String styleClass) {
        Label number = new Label();
        number.textProperty().bind(Bindings.createStringBinding(() -> String.valueOf(value.get()), value));
        number.getStyleClass().add("kpi-value");
        number.setId(styleClass);
        Label label = new Label(name);
        label.getStyleClass().add("kpi-label");
        VBox box = new VBox(0, number, label);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().addAll("kpi", styleClass);
        return box;
    }

    /**
     * The whole center today: service level against its target (marked when below) and abandon
     * rate; the day and the counts behind them in the tooltip.
     */
    private static HBox centerKpis(CenterState state) {
        var center = state.metrics().centerProperty();
        Label sl = new Label();
        sl.setId("kpi-sl");
        sl.getStyleClass().add("kpi-value");
        sl.textProperty().bind(center.map(f -> Format.percent(f.serviceLevel())));
        Label slLabel = new Label();
        slLabel.getStyleClass().add("kpi-label");
        slLabel.textProperty().bind(center.map(f -> f.slTarget() == null ? "Service level"
            : "Service level · target " + Format.percent(f.slTarget())));
        VBox slBox = new VBox(0, sl, slLabel);
        slBox.setAlignment(Pos.CENTER);
        slBox.getStyleClass().addAll("kpi", "kpi-sl");
        Label abandon = new Label();
        abandon.setId("kpi-abandon");
        abandon.getStyleClass().add("kpi-value");
        abandon.textProperty().bind(center.map(f -> Format.percent(f.abandonRate())));
        Label abandonLabel = new Label("Abandoned");
        abandonLabel.getStyleClass().add("kpi-label");
        VBox abandonBox = new VBox(0, abandon, abandonLabel);
        abandonBox.setAlignment(Pos.CENTER);
        abandonBox.getStyleClass().addAll("kpi", "kpi-abandon");
        HBox box = new HBox(10, slBox, abandonBox);
        box.setId("center-today");
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(center.map(f -> "Today" + (f.day() == null ? "" : " (" + f.day() + ")") + ": "
            + f.answered() + " answered of " + f.offered() + " offered, " + f.answeredWithinSla() + " within the SLA, "
            + f.abandoned() + " abandoned" + (f.abandonedShort() > 0 ? " (+" + f.abandonedShort() + " short, not counted)" : "")
            + " · ASA " + Format.seconds(f.averageSpeedOfAnswer()) + " · AHT " + Format.seconds(f.averageHandleTime())));
        Tooltip.install(box, tip);
        Runnable mark = () -> slBox.pseudoClassStateChanged(MetricsView.BELOW_TARGET, center.get().belowTarget());
        center.addListener((o, a, b) -> mark.run());
        mark.run();
        return box;
    }

    /** A dot and a word: green Live, amber Connecting/Reconnecting, red Offline; details in the tooltip. */
    private static HBox connection(CenterState state) {
        Circle dot = new Circle(5);
        dot.getStyleClass().add("connection-dot");
        Label label = new Label();
        label.setId("connection");
        label.textProperty().bind(state.connectionProperty().map(ConnectionState::label));
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(state.connectionDetailProperty());
        Tooltip.install(label, tip);
        HBox box = new HBox(6, dot, label);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("connection");
        Runnable restyle = () -> {
            for (ConnectionState s : ConnectionState.values()) {
                box.pseudoClassStateChanged(PseudoClass.getPseudoClass(s.name().toLowerCase(java.util.Locale.ROOT)),
                    s == state.connectionProperty().get());
            }
        };
        state.connectionProperty().addListener((o, a, b) -> restyle.run());
        restyle.run();
        return box;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
