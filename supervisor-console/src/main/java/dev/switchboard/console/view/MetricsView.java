package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.MetricsViewModel;
import dev.switchboard.console.state.PresenceAction;
import dev.switchboard.console.wire.AgentStats;
import dev.switchboard.console.wire.QueueStats;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Queue and agent metrics (tables), the presence controls for the selected agent, the server's
 * traffic generator (a third tab), and one chart:
 * calls waiting per queue over the last two minutes.
 */
final class MetricsView extends HBox {

    /** A queue whose service level is below its target. */
    static final PseudoClass BELOW_TARGET = PseudoClass.getPseudoClass("below-target");

    private final Console console;
    private final TableView<AgentStats> agents;
    private final Map<PresenceAction, Button> presenceButtons = new EnumMap<>(PresenceAction.class);
    /** The agent the supervisor selected, kept across pushes; {@code null} for none. */
    private String selectedAgent;

    MetricsView(Console console) {
        this.console = console;
        MetricsViewModel vm = console.state().metrics();
        getStyleClass().add("metrics");
        setSpacing(12);

        agents = agentsTable(vm, console.state().calls().nowProperty());
        Tab traffic = new Tab("Traffic", new TrafficView(console));
        traffic.setId("tab-traffic");
        console.traffic().shownProperty().bind(traffic.selectedProperty());
        traffic.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                console.refreshTraffic();   // at once, not at the next poll
            }
        });
        TabPane tabs = new TabPane(new Tab("Queues", queues(vm)), new Tab("Agents", agentsPane()), traffic);
        tabs.setId("metrics-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.getStyleClass().add("panel");
        tabs.setPrefWidth(660);
        tabs.setMinWidth(0);
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
        Label title = new Label("Waiting · last 2 min");
        title.getStyleClass().add("panel-title");
        VBox chartBox = new VBox(4, title, chart);
        chartBox.getStyleClass().addAll("panel", "chart-panel");
        chartBox.setPrefWidth(240);
        chartBox.setMinWidth(200);
        VBox.setVgrow(chart, Priority.ALWAYS);
        HBox.setHgrow(chartBox, Priority.ALWAYS);

        getChildren().addAll(tabs, chartBox);
    }

    /** Today's figures per queue: the service level beside its target (marked when below), abandon rate, ASA, AHT. */
    private static TableView<QueueStats> queues(MetricsViewModel vm) {
        TableView<QueueStats> t = new TableView<>(vm.queues());
        t.setId("queues-table");
        t.setMinWidth(0);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<QueueStats, String> sl = marked("SL / target", 86, q -> Format.againstTarget(q.today().serviceLevel(),
            q.today().slTarget()), q -> q.today().belowTarget());
        sl.setId("queue-sl");
        t.getColumns().setAll(List.of(
            text("Queue", 112, QueueStats::name),
            number("Waiting", 56, q -> String.valueOf(q.waitingNow())),
            number("Longest", 58, q -> Format.seconds(q.today().longestWait())),
            sl,
            number("Abandon", 62, q -> Format.percent(q.today().abandonRate())),
            number("ASA", 50, q -> Format.seconds(q.today().averageSpeedOfAnswer())),
            number("AHT", 50, q -> Format.seconds(q.today().averageHandleTime())),
            number("Answered", 70, q -> q.today().answered() + "/" + q.today().offered()),
            number("Abandoned", 74, q -> q.today().abandoned() + (q.today().abandonedShort() > 0
                ? " (+" + q.today().abandonedShort() + " short)" : ""))));
        t.setPlaceholder(new Label("No queues yet"));
        return t;
    }

    /** The agents table with, above it, what a supervisor may set the selected agent's presence to. */
    private VBox agentsPane() {
        HBox actions = new HBox(6);
        actions.getStyleClass().add("presence-bar");
        actions.setAlignment(Pos.CENTER_LEFT);
        for (PresenceAction action : PresenceAction.values()) {
            Button b = new Button(action.label());
            b.setId("presence-" + action.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            b.getStyleClass().add("small");
            b.setMinWidth(USE_PREF_SIZE);
            b.setOnAction(e -> act(action));
            presenceButtons.put(action, b);
            actions.getChildren().add(b);
        }
        // the buttons first, so a narrow pane cuts the description, never an action
        Label selected = new Label();
        selected.setId("presence-agent");
        selected.getStyleClass().add("muted");
        selected.setMinWidth(0);
        selected.textProperty().bind(agents.getSelectionModel().selectedItemProperty()
            .map(a -> a.id() + " · " + Format.presence(a.presence(), a.reason())).orElse("Select an agent to set its presence"));
        actions.getChildren().add(selected);
        presenceButtons.get(PresenceAction.AVAILABLE).getStyleClass().add("accent");
        Runnable offer = () -> {
            AgentStats a = agents.getSelectionModel().getSelectedItem();
            presenceButtons.forEach((action, b) -> b.setDisable(!action.offeredFor(a)));
        };
        agents.getSelectionModel().selectedItemProperty().addListener((o, before, now) -> {
            if (now != null) {
                selectedAgent = now.id();
            }
            offer.run();
        });
        // every push replaces the agents' records, and the table drops the selection of a replaced
        // row: the same agent is selected again (its id is what the supervisor picked), and the
        // buttons follow its new presence
        agents.getItems().addListener((javafx.collections.ListChangeListener<AgentStats>) c -> {
            AgentStats shown = agents.getSelectionModel().getSelectedItem();
            if (selectedAgent != null && (shown == null || !shown.id().equals(selectedAgent))) {
                agents.getItems().stream().filter(a -> a.id().equals(selectedAgent)).findFirst()
                    .ifPresentOrElse(a -> agents.getSelectionModel().select(a), () -> selectedAgent = null);
            }
            offer.run();
        });
        offer.run();
        VBox box = new VBox(0, actions, agents);
        box.setMinWidth(0);
        VBox.setVgrow(agents, Priority.ALWAYS);
        return box;
    }

    private void act(PresenceAction action) {
        AgentStats a = agents.getSelectionModel().getSelectedItem();
        if (a == null) {
            return;
        }
        if (action != PresenceAction.NOT_READY) {
            console.setPresence(a.id(), action, null);
            return;
        }
        askReason(a).ifPresent(reason -> console.setPresence(a.id(), action, reason));
    }

    /** The not-ready dialog: a reason picked from the usual ones or typed, checked as the contract says. */
    private java.util.Optional<String> askReason(AgentStats a) {
        ComboBox<String> reason = new ComboBox<>(FXCollections.observableArrayList(PresenceAction.COMMON_REASONS));
        reason.setId("not-ready-reason");
        reason.setEditable(true);
        reason.setValue(a.reason() != null && AgentStats.NOT_READY.equals(a.presence()) ? a.reason() : PresenceAction.COMMON_REASONS.get(0));
        Label problem = new Label();
        problem.getStyleClass().add("error");
        problem.setId("not-ready-problem");
        VBox form = new VBox(8, new Label("Reason"), reason, problem);
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Not ready");
        d.setHeaderText("Set " + a.id() + " not ready");
        d.getDialogPane().setContent(form);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        Runnable check = () -> {
            String p = PresenceAction.reasonProblem(reason.getEditor().getText());
            problem.setText(p == null ? "" : p);
            d.getDialogPane().lookupButton(ButtonType.OK).setDisable(p != null);
        };
        reason.getEditor().textProperty().addListener((o, before, now) -> check.run());
        check.run();
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
        return d.showAndWait().filter(b -> b == ButtonType.OK).map(b -> reason.getEditor().getText().trim());
    }

    /**
     * Every agent with what it is doing (state) and its presence: since when (ticking), today's
     * occupancy and not-ready time (by reason in the tooltip), and its call figures.
     */
    private static TableView<AgentStats> agentsTable(MetricsViewModel vm, ObjectProperty<Instant> now) {
        TableView<AgentStats> t = new TableView<>(vm.agents());
        t.setId("agents-table");
        t.setMinWidth(0);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<AgentStats, AgentStats> state = pill("State", 92, a -> a.state(), a -> Format.words(a.state()));
        TableColumn<AgentStats, AgentStats> presence = pill("Presence", 128, AgentStats::presence,
            a -> Format.presence(a.presence(), a.reason()));
        presence.setId("agent-presence");
        TableColumn<AgentStats, AgentStats> since = new TableColumn<>("For");
        since.setId("agent-since");
        since.setPrefWidth(58);
        since.getStyleClass().add("numeric");
        since.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        since.setCellFactory(c -> new SinceCell(now));
        TableColumn<AgentStats, String> notReady = text("Not ready", 70, a -> Format.seconds(a.notReadyTime()));
        notReady.getStyleClass().add("numeric");
        notReady.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                AgentStats a = empty ? null : getTableRow().getItem();
                setText(empty ? null : s);
                String reasons = a == null ? "" : Format.reasons(a.notReadyByReason());
                setTooltip(reasons.isEmpty() ? null : new Tooltip(reasons));
            }
        });
        t.getColumns().setAll(List.of(
            text("Agent", 100, AgentStats::id), state, presence, since,
            number("Occupancy", 76, a -> Format.percent(a.occupancy())),
            notReady,
            number("Answered", 68, a -> a.answered() + "/" + a.offered()),
            number("Missed", 52, a -> String.valueOf(a.missed())),
            number("AHT", 52, a -> Format.seconds(a.averageHandleTime()))));
        t.setPlaceholder(new Label("No agents yet"));
        return t;
    }

    /** How long the agent has been in its presence, ticking with the console's clock; the time it began in the tooltip. */
    private static final class SinceCell extends TableCell<AgentStats, AgentStats> {
        private final ObjectProperty<Instant> now;
        private final Tooltip tip = new Tooltip();

        SinceCell(ObjectProperty<Instant> now) {
            this.now = now;
            now.addListener(new javafx.beans.WeakInvalidationListener(tick));
        }

        private final javafx.beans.InvalidationListener tick = o -> show();

        @Override
        protected void updateItem(AgentStats a, boolean empty) {
            super.updateItem(a, empty);
            show();
        }

        private void show() {
            AgentStats a = isEmpty() ? null : getItem();
            if (a == null || a.since() == null) {
                setText(a == null ? null : "–");   // a server that does not say since when
                setTooltip(null);
                return;
            }
            setText(Format.clock(Duration.between(a.since(), now.get())));
            tip.setText(Format.presence(a.presence(), a.reason()) + " since " + Format.time(a.since()));
            setTooltip(tip);
        }
    }

    private static TableColumn<AgentStats, AgentStats> pill(String name, double width, Function<AgentStats, String> style,
                                                           Function<AgentStats, String> text) {
        TableColumn<AgentStats, AgentStats> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue()));
        c.setCellFactory(col -> new TableCell<>() {
            private final StatusPill pill = new StatusPill();

            @Override
            protected void updateItem(AgentStats a, boolean empty) {
                super.updateItem(a, empty);
                if (empty || a == null) {
                    setGraphic(null);
                } else {
                    pill.show(style.apply(a), text.apply(a));
                    setGraphic(pill);
                }
            }
        });
        return c;
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

    /** A numeric column whose cell is marked {@code :below-target} when {@code warn} holds for its row. */
    static <T> TableColumn<T, String> marked(String name, double width, Function<T, String> value, Predicate<T> warn) {
        TableColumn<T, String> c = number(name, width, value);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                T row = empty || getTableRow() == null ? null : getTableRow().getItem();
                pseudoClassStateChanged(BELOW_TARGET, row != null && warn.test(row));
            }
        });
        return c;
    }
}
