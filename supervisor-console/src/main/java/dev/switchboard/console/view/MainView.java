package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.CallAction;
import dev.switchboard.console.state.CallRow;
import dev.switchboard.console.state.StatusFilter;
import dev.switchboard.console.state.TrafficViewModel;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.QueueStats;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The signed-in console: top bar; the Live tab (calls with their filters, alerts, the selected
 * call's history, metrics and presence controls) and the Reports tab; the status bar; keyboard
 * shortcuts; notifications for new alerts. Layout and bindings only: what happens is the
 * {@link Console}'s and the state's.
 */
public final class MainView extends StackPane {

    /** Shown in the status bar, so the shortcuts can be found; F1 lists them all ({@link #SHORTCUT_HELP}). */
    public static final String SHORTCUTS = "Ctrl+F search · Ctrl+1–6 status · Alt+Q queue · Alt+A agent · Esc clear · Ctrl+K ack · Ctrl+Shift+K ack all · F1 all keys";

    /** A keyboard shortcut as the help lists it. */
    public record Shortcut(String keys, String does, boolean adminOnly) {
    }

    /**
     * Every shortcut {@link #installShortcuts} installs, as F1 lists them (the web dashboard mirrors
     * this set, with single keys where a browser keeps Ctrl+F, Ctrl+1–6 and Ctrl+N for itself).
     */
    public static final List<Shortcut> SHORTCUT_HELP = List.of(
        new Shortcut("Ctrl+F", "Search the calls (id, queue or its name, agent, status, flag)", false),
        new Shortcut("Ctrl+1 … Ctrl+6", "Show calls: 1 live, 2 waiting, 3 active, 4 on hold, 5 ended, 6 all", false),
        new Shortcut("Alt+Q", "Open the queue filter", false),
        new Shortcut("Alt+A", "Open the agent filter", false),
        new Shortcut("Esc", "Clear the filters (back to the live calls)", false),
        new Shortcut("Ctrl+K", "Acknowledge the selected alert, else the newest (with the note, if any)", false),
        new Shortcut("Ctrl+Shift+K", "Acknowledge all the open alerts, in one request", false),
        new Shortcut("Ctrl+N", "New simulated call", true),
        new Shortcut("F1", "This list", false));

    private final Console console;
    private final CallsView calls;
    private final AlertsView alerts;
    private final Timeline ticker;
    private final Timeline trafficPoll;

    public MainView(Console console) {
        this.console = console;
        getStyleClass().add("main");

        calls = new CallsView(console, this::askNewCall);
        alerts = new AlertsView(console, this::showCall);
        CallDetailView detail = new CallDetailView(console, this::act);
        MetricsView metrics = new MetricsView(console);

        SplitPane right = new SplitPane(alerts, detail);
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.5);   // the alerts, their note and the closed ones over the call
        SplitPane left = new SplitPane(calls, metrics);
        left.setOrientation(Orientation.VERTICAL);
        left.setDividerPositions(0.6);
        SplitPane body = new SplitPane(left, right);
        body.setDividerPositions(0.71);
        body.getStyleClass().add("body");

        ReportsView reports = new ReportsView(console);
        Tab live = new Tab("Live", body);
        live.setId("tab-live");
        Tab reportsTab = new Tab("Reports", reports);
        reportsTab.setId("tab-reports");
        reportsTab.selectedProperty().addListener((o, was, now) -> {
            if (now) {
                reports.shown();
            }
        });
        TabPane views = new TabPane(live, reportsTab);
        views.setId("main-tabs");
        views.getStyleClass().add("main-tabs");
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        BorderPane frame = new BorderPane(views, new TopBar(console), null, statusBar(), null);
        Toaster toaster = new Toaster(this::showCall, console.state().queueNames());
        console.state().onNewAlert(toaster::show);
        getChildren().addAll(frame, toaster.layer());

        calls.table().getSelectionModel().selectedItemProperty().addListener((o, before, row) -> {
            if (before != null && !calls.table().getItems().contains(before)) {
                // the shown call left the filter (it ended, say): the table moved the selection by
                // itself; keep showing that call rather than jump to a neighbour
                javafx.application.Platform.runLater(() -> calls.table().getSelectionModel().clearSelection());
                return;
            }
            if (row != null) {
                console.select(row.id());
            }
        });

        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> console.state().calls().nowProperty().set(console.now())));
        ticker.setCycleCount(Animation.INDEFINITE);
        console.state().calls().nowProperty().set(console.now());
        ticker.play();
        // no push for the traffic generator: asked for while its panel is shown or it runs
        trafficPoll = new Timeline(new KeyFrame(Duration.millis(TrafficViewModel.POLL_EVERY.toMillis()), e -> console.pollTraffic()));
        trafficPoll.setCycleCount(Animation.INDEFINITE);
        trafficPoll.play();

        sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                installShortcuts(scene);
                javafx.application.Platform.runLater(() -> calls.table().requestFocus());
            }
        });
    }

    private HBox statusBar() {
        Label notice = new Label();
        notice.setId("notice");
        notice.textProperty().bind(console.state().noticeProperty());
        Label keys = new Label(SHORTCUTS);
        keys.getStyleClass().add("muted");
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox bar = new HBox(12, notice, gap, keys);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        return bar;
    }

    private void installShortcuts(Scene scene) {
        Map<KeyCombination, Runnable> keys = scene.getAccelerators();
        keys.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), calls::focusSearch);
        StatusFilter[] filters = StatusFilter.values();
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5, KeyCode.DIGIT6};
        for (int i = 0; i < filters.length; i++) {
            StatusFilter f = filters[i];
            keys.put(new KeyCodeCombination(digits[i], KeyCombination.SHORTCUT_DOWN),
                () -> console.state().calls().statusProperty().set(f));
        }
        keys.put(new KeyCodeCombination(KeyCode.Q, KeyCombination.ALT_DOWN), calls::openQueueFilter);
        keys.put(new KeyCodeCombination(KeyCode.A, KeyCombination.ALT_DOWN), calls::openAgentFilter);
        keys.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN),
            () -> console.acknowledge(console.state().alerts().ackTarget()));
        keys.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            console::acknowledgeAll);
        if (console.canSimulate()) {
            keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), this::askNewCall);
        }
        keys.put(new KeyCodeCombination(KeyCode.F1), this::showShortcuts);
        // Esc clears the filters; a text field would otherwise swallow it, so it is caught on the way down
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !e.isShortcutDown() && !anyPopupOpen()) {
                console.state().calls().clearFilters();
                calls.table().requestFocus();
                e.consume();
            }
        });
    }

    /** F1: every shortcut this user has, in a dialog. */
    void showShortcuts() {
        GridPane table = new GridPane();
        table.setId("shortcut-help");
        table.setHgap(18);
        table.setVgap(6);
        int row = 0;
        for (Shortcut k : SHORTCUT_HELP) {
            if (k.adminOnly() && !console.canSimulate()) {
                continue;
            }
            Label keys = new Label(k.keys());
            keys.getStyleClass().add("shortcut-keys");
            table.addRow(row++, keys, new Label(k.does()));
        }
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("Keyboard shortcuts");
        d.setHeaderText("Keyboard shortcuts");
        d.getDialogPane().setContent(table);
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        style(d);
        d.show();
    }

    private boolean anyPopupOpen() {
        return javafx.stage.Window.getWindows().stream()
            .anyMatch(w -> w.isShowing() && w instanceof javafx.stage.PopupWindow p && !(p instanceof javafx.stage.Popup));
    }

    /** Selects a call in the table (widening the filters if it is hidden) and shows its history. */
    void showCall(String callId) {
        CallRow row = console.state().calls().row(callId);
        if (row == null) {
            console.select(callId);
            return;
        }
        if (!console.state().calls().visibleRows().contains(row)) {
            console.state().calls().clearFilters();
            console.state().calls().statusProperty().set(StatusFilter.ALL);
        }
        calls.table().getSelectionModel().select(row);
        calls.table().scrollTo(row);
    }

    /** A simulator action; Route and Transfer ask for their target first. */
    private void act(CallAction action, Call call) {
        if (call == null) {
            return;
        }
        switch (action) {
            case ROUTE -> choose("Route call " + call.id(), "Agent", agentsFor(call.queueId()))
                .ifPresent(agent -> console.simulate(action, call.id(), agent));
            case TRANSFER -> {
                Map<String, String> targets = new LinkedHashMap<>();
                for (QueueStats q : console.state().metrics().queues()) {
                    if (!q.id().equals(call.queueId())) {
                        targets.put("Queue · " + q.name(), q.id());
                    }
                }
                for (String agent : console.state().calls().agentOptions()) {
                    if (!agent.equals(call.agentId())) {
                        targets.put("Agent · " + agent, "agent:" + agent);
                    }
                }
                choose("Transfer call " + call.id(), "To", new ArrayList<>(targets.keySet()))
                    .ifPresent(label -> console.simulate(action, call.id(), targets.get(label)));
            }
            default -> console.simulate(action, call.id(), null);
        }
    }

    private List<String> agentsFor(String queueId) {
        TreeSet<String> agents = new TreeSet<>();
        QueueStats q = console.state().metrics().queue(queueId);
        if (q != null) {
            agents.addAll(q.agents());
        }
        if (agents.isEmpty()) {
            agents.addAll(console.state().calls().agentOptions());
        }
        return new ArrayList<>(agents);
    }

    private Optional<String> choose(String title, String what, List<String> options) {
        if (options.isEmpty()) {
            console.state().notice(title + ": nothing to choose from yet");
            return Optional.empty();
        }
        ChoiceDialog<String> d = new ChoiceDialog<>(options.get(0), options);
        d.setTitle(title);
        d.setHeaderText(title);
        d.setContentText(what);
        style(d);
        return d.showAndWait();
    }

    private void askNewCall() {
        if (!console.canSimulate()) {
            return;
        }
        List<String> queues = console.state().metrics().queues().stream().map(QueueStats::id).toList();
        if (queues.isEmpty()) {
            queues = List.copyOf(console.state().calls().queueOptions());
        }
        if (queues.isEmpty()) {
            console.state().notice("New call: no queues known yet");
            return;
        }
        ComboBox<String> queue = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(queues));
        queue.setConverter(console.state().queueNames().converter(null));
        queue.setValue(queues.get(0));
        ComboBox<String> type = new ComboBox<>(javafx.collections.FXCollections.observableArrayList("voice", "video"));
        type.setValue("voice");
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(10);
        form.addRow(0, new Label("Queue"), queue);
        form.addRow(1, new Label("Type"), type);
        Dialog<ButtonType> d = new Dialog<>();
        d.setTitle("New call");
        d.setHeaderText("Simulate a new call waiting in a queue");
        d.getDialogPane().setContent(form);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        style(d);
        d.showAndWait().filter(b -> b == ButtonType.OK)
            .ifPresent(b -> console.newCall(queue.getValue(), type.getValue()));
    }

    private void style(Dialog<?> d) {
        if (getScene() != null) {
            d.initOwner(getScene().getWindow());
            d.getDialogPane().getStylesheets().setAll(getScene().getStylesheets());
        }
    }

    /** Stops the clock; the console itself is closed by its owner. */
    public void dispose() {
        ticker.stop();
        trafficPoll.stop();
    }
}
