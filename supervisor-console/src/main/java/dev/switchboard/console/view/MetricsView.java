package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.MetricsViewModel;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.QueueStats;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.function.Function;

/** Queue and agent metrics (tables) and one chart: calls waiting per queue over the last two minutes. */
final class MetricsView extends HBox {

    MetricsView(Console console) {
        MetricsViewModel vm = console.state().metrics();
        getStyleClass().add("metrics");
        setSpacing(12);

        TabPane tabs = new TabPane(new Tab("Queues", queues(vm)), new Tab("Agents", agents(vm)));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("panel");
        tabs.setPrefWidth(560);
        HBox.setHgrow(tabs, Priority.ALWAYS);

        NumberAxis x = new NumberAxis();
        x.setForceZeroInRange(false);
        x.setTickLabelsVisible(false);
        x.setTickMarkVisible(false);
        x.setMinorTickVisible(false);
        NumberAxis y = new NumberAxis(0, 5, 1);
        y.setAutoRanging(true);
        y.setForceZeroInRange(true);
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new NumberAxis.DefaultFormatter(y) {
            @Override
            public String toString(Number n) {
                return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.intValue()) : "";
            }
        });
        LineChart<Number, Number> chart = new LineChart<>(x, y, vm.waitingSeries());
        chart.setId("waiting-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(true);
        chart.setHorizontalGridLinesVisible(true);
        chart.setVerticalGridLinesVisible(false);
        chart.setMinHeight(0);
        Label title = new Label("Waiting per queue · last 2 min");
        title.getStyleClass().add("panel-title");
        VBox chartBox = new VBox(4, title, chart);
        chartBox.getStyleClass().addAll("panel", "chart-panel");
        chartBox.setPrefWidth(360);
        VBox.setVgrow(chart, Priority.ALWAYS);
        HBox.setHgrow(chartBox, Priority.ALWAYS);

        getChildren().addAll(tabs, chartBox);
    }

    private static TableView<QueueStats> queues(MetricsViewModel vm) {
        TableView<QueueStats> t = new TableView<>(vm.queues());
        t.setId("queues-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().setAll(java.util.List.of(
            text("Queue", 130, QueueStats::name),
            number("Waiting", 62, q -> String.valueOf(q.waitingNow())),
            number("Longest", 62, q -> Format.seconds(q.longestWait())),
            number("SLA", 50, q -> Format.percent(q.serviceLevel())),
            number("ASA", 56, q -> Format.seconds(q.averageSpeedOfAnswer())),
            number("Answered", 72, q -> q.answered() + "/" + q.offered()),
            number("Abandoned", 80, q -> String.valueOf(q.abandoned()))));
        t.setPlaceholder(new Label("No queues yet"));
        return t;
    }

    private static TableView<AgentStats> agents(MetricsViewModel vm) {
        TableView<AgentStats> t = new TableView<>(vm.agents());
        t.setId("agents-table");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<AgentStats, AgentStats> state = new TableColumn<>("State");
        state.setPrefWidth(100);
        state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        state.setCellFactory(c -> new TableCell<>() {
            private final StatusPill pill = new StatusPill();

            @Override
            protected void updateItem(AgentStats a, boolean empty) {
                super.updateItem(a, empty);
                if (empty || a == null) {
                    setGraphic(null);
                } else {
                    pill.show(a.state(), Format.words(a.state()));
                    setGraphic(pill);
                }
            }
        });
        t.getColumns().setAll(java.util.List.of(
            text("Agent", 130, AgentStats::id), state,
            number("Answered", 72, a -> a.answered() + "/" + a.offered()),
            number("Missed", 60, a -> String.valueOf(a.missed())),
            number("Talk", 64, a -> Format.seconds(a.talkTime())),
            number("AHT", 64, a -> Format.seconds(a.averageHandleTime()))));
        t.setPlaceholder(new Label("No agents yet"));
        return t;
    }

    private static <T> TableColumn<T, String> text(String name, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        return c;
    }

    private static <T> TableColumn<T, String> number(String name, double width, Function<T, String> value) {
        TableColumn<T, String> c = text(name, width, value);
        c.getStyleClass().add("numeric");
        return c;
    }
}
