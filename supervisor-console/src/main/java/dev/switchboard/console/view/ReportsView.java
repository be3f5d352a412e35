package dev.switchboard.console.view;

import dev.switchboard.console.Console;
import dev.switchboard.console.state.Format;
import dev.switchboard.console.state.QueueNames;
import dev.switchboard.console.state.ReportInterval;
import dev.switchboard.console.state.ReportsViewModel;
import dev.switchboard.console.wire.AgentReportItem;
import dev.switchboard.console.wire.IntervalReportItem;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reports: pick a day, an interval length and a queue (or all); the service level per interval
 * beside its target (a line) over the calls per interval (stacked bars), the intervals and agents
 * as tables, and "Save CSV…" for the table shown. Layout and bindings only: loading and saving are
 * the {@link Console}'s, what is shown the {@link ReportsViewModel}'s.
 */
public final class ReportsView extends VBox {

    /** Where a saved report goes: a file the supervisor chose, or none if they cancelled. */
    @FunctionalInterface
    public interface SaveTarget {
        Optional<Path> choose(String suggestedName);
    }

    static final String ALL_QUEUES = "All queues";
    private static final PseudoClass FAILED = PseudoClass.getPseudoClass("failed");

    private final Console console;
    private final ReportsViewModel vm;
    private final TabPane tables;
    private SaveTarget saveTarget = this::chooseFile;

    public ReportsView(Console console) {
        this.console = console;
        this.vm = console.state().reports();
        setId("reports");
        getStyleClass().addAll("panel", "reports");
        setSpacing(8);

        Label title = new Label("Reports");
        title.getStyleClass().add("panel-title");
        DatePicker day = new DatePicker();
        day.setId("report-day");
        day.valueProperty().bindBidirectional(vm.dayProperty());
        day.setPrefWidth(140);
        ComboBox<ReportInterval> interval = new ComboBox<>(FXCollections.observableArrayList(ReportInterval.values()));
        interval.setId("report-interval");
        interval.valueProperty().bindBidirectional(vm.intervalProperty());
        ComboBox<String> queue = queueBox();
        CheckBox onlyWithCalls = new CheckBox("Only intervals with calls");
        onlyWithCalls.setId("report-only-calls");
        onlyWithCalls.selectedProperty().bindBidirectional(vm.onlyWithCallsProperty());
        Button refresh = new Button("Refresh");
        refresh.setId("report-load");
        refresh.setOnAction(e -> console.loadReport());
        Button save = new Button("Save CSV…");
        save.setId("report-save");
        save.getStyleClass().add("accent");
        save.setOnAction(e -> save());
        save.disableProperty().bind(vm.statusProperty().map(s -> s != ReportsViewModel.Status.READY
            && s != ReportsViewModel.Status.EMPTY));
        HBox controls = new HBox(8, title, gap(), label("Day"), day, label("Interval"), interval, label("Queue"), queue,
            onlyWithCalls, gap(), refresh, save);
        controls.setAlignment(Pos.CENTER_LEFT);
        controls.getStyleClass().add("filter-bar");
        for (var n : controls.getChildren()) {
            if (n instanceof Region r && !(n instanceof HBox)) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }

        Label status = new Label();
        status.setId("report-status");
        status.getStyleClass().add("report-status");
        status.setWrapText(true);
        status.textProperty().bind(vm.messageProperty());
        vm.statusProperty().addListener((o, a, b) -> status.pseudoClassStateChanged(FAILED, b == ReportsViewModel.Status.FAILED));

        HBox charts = new HBox(12, chartPanel("Service level per interval", serviceLevelChart()),
            chartPanel("Calls per interval", volumeChart()));
        charts.setMinHeight(0);

        tables = new TabPane(new Tab("Intervals", intervalsTable()), new Tab("Agents", agentsTable()));
        tables.setId("report-tabs");
        tables.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);

        SplitPane body = new SplitPane(charts, tables);
        body.setOrientation(Orientation.VERTICAL);
        body.setDividerPositions(0.46);
        VBox.setVgrow(body, Priority.ALWAYS);
        getChildren().addAll(controls, status, body);

        // a new pick is a new report; the first one loads when the view is first shown
        vm.dayProperty().addListener((o, a, b) -> reloadIf(b != null));
        vm.intervalProperty().addListener((o, a, b) -> reloadIf(b != null));
        vm.queueProperty().addListener((o, a, b) -> reloadIf(true));
    }

    /** The view came into sight: its first report loads now. */
    public void shown() {
        if (vm.statusProperty().get() == ReportsViewModel.Status.IDLE) {
            console.loadReport();
        }
    }

    private void reloadIf(boolean valid) {
        if (valid && vm.statusProperty().get() != ReportsViewModel.Status.IDLE) {
            console.loadReport();
        }
    }

    /** Replaces the file dialog (tests choose a file without one). */
    public void setSaveTarget(SaveTarget target) {
        this.saveTarget = target;
    }

    /** Saves the report of the table shown (intervals or agents) to a file the supervisor picks. */
    private void save() {
        ReportsViewModel.Kind kind = tables.getSelectionModel().getSelectedIndex() == 1
            ? ReportsViewModel.Kind.AGENTS : ReportsViewModel.Kind.INTERVALS;
        saveTarget.choose(vm.suggestedFileName(kind)).ifPresent(file -> console.saveReportCsv(kind, file));
    }

    private Optional<Path> chooseFile(String suggestedName) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the report as CSV");
        chooser.setInitialFileName(suggestedName);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV files (*.csv)", "*.csv"));
        File home = new File(System.getProperty("user.home"));
        if (home.isDirectory()) {
            chooser.setInitialDirectory(home);
        }
        File f = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        return Optional.ofNullable(f).map(File::toPath);
    }

    /** "All queues", then every queue known to the console; kept in step with the view-model. */
    private ComboBox<String> queueBox() {
        ObservableList<String> known = console.state().calls().queueOptions();
        ObservableList<String> items = FXCollections.observableArrayList(ALL_QUEUES);
        Runnable refresh = () -> known.stream().sorted().filter(q -> !items.contains(q)).forEach(items::add);
        known.addListener((javafx.collections.ListChangeListener<String>) c -> refresh.run());
        refresh.run();
        ComboBox<String> box = new ComboBox<>(items);
        QueueNames names = console.state().queueNames();
        box.setConverter(names.converter(ALL_QUEUES));
        names.revisionProperty().addListener((o, a, b) -> box.setConverter(names.converter(ALL_QUEUES)));
        box.setId("report-queue");
        box.setValue(vm.queueProperty().get() == null ? ALL_QUEUES : vm.queueProperty().get());
        box.valueProperty().addListener((o, a, b) -> vm.queueProperty().set(b == null || ALL_QUEUES.equals(b) ? null : b));
        return box;
    }

    private LineChart<String, Number> serviceLevelChart() {
        // the day's intervals in order, whichever have a service level: categories taken from the data
        // would put the intervals with a point first (the target series has them all, after)
        CategoryAxis x = new CategoryAxis(vm.categories());
        x.setAutoRanging(false);
        NumberAxis y = new NumberAxis(0, 100, 20);
        y.setAutoRanging(false);
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new NumberAxis.DefaultFormatter(y, null, "%"));
        LineChart<String, Number> chart = new LineChart<>(x, y, vm.serviceLevelSeries());
        chart.setId("report-sl-chart");
        chart.getStyleClass().add("report-sl-chart");
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setVerticalGridLinesVisible(false);
        chart.setMinHeight(0);
        return chart;
    }

    private StackedBarChart<String, Number> volumeChart() {
        CategoryAxis x = new CategoryAxis(vm.categories());
        x.setAutoRanging(false);
        NumberAxis y = new NumberAxis();
        y.setMinorTickVisible(false);
        y.setTickLabelFormatter(new NumberAxis.DefaultFormatter(y) {
            @Override
            public String toString(Number n) {
                return n.doubleValue() == Math.rint(n.doubleValue()) ? String.valueOf(n.intValue()) : "";
            }
        });
        StackedBarChart<String, Number> chart = new StackedBarChart<>(x, y, vm.volumeSeries());
        chart.setId("report-volume-chart");
        chart.getStyleClass().add("report-volume-chart");
        chart.setAnimated(false);
        chart.setCategoryGap(2);
        chart.setVerticalGridLinesVisible(false);
        chart.setMinHeight(0);
        return chart;
    }

    private static VBox chartPanel(String name, Region chart) {
        Label title = new Label(name);
        title.getStyleClass().add("section-title");
        VBox box = new VBox(2, title, chart);
        box.setMinHeight(0);
        VBox.setVgrow(chart, Priority.ALWAYS);
        HBox.setHgrow(box, Priority.ALWAYS);
        box.setPrefWidth(400);
        return box;
    }

    private TableView<IntervalReportItem> intervalsTable() {
        TableView<IntervalReportItem> t = new TableView<>(vm.shownIntervals());
        t.setId("report-intervals");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().setAll(List.of(
            text("Interval", 110, i -> vm.label(i.start(), vm.shown().interval())
                + (vm.shown().interval() == ReportInterval.DAY ? "" : "–" + vm.label(i.end(), vm.shown().interval()))),
            text("Queue", 130, i -> console.state().queueNames().name(i.queueId())),
            number("Offered", 64, i -> String.valueOf(i.offered())),
            number("Answered", 70, i -> String.valueOf(i.answered())),
            number("Within SLA", 76, i -> String.valueOf(i.answeredWithinSla())),
            number("Abandoned", 76, i -> i.abandoned() + (i.abandonedShort() > 0 ? " (+" + i.abandonedShort() + " short)" : "")),
            MetricsView.marked("Service level", 88, i -> Format.percent(i.serviceLevel()), this::belowTarget),
            number("Abandon", 64, i -> Format.percent(i.abandonRate())),
            number("ASA", 56, i -> Format.seconds(i.asa())),
            number("AHT", 56, i -> Format.seconds(i.aht())),
            number("Longest wait", 84, i -> Format.seconds(i.longestWait()))));
        t.placeholderProperty().bind(vm.messageProperty().map(m -> new Label(placeholder())));
        return t;
    }

    private String placeholder() {
        return switch (vm.statusProperty().get()) {
            case LOADING -> "Loading…";
            case FAILED -> "No report: see the message above";
            case READY, EMPTY -> vm.onlyWithCallsProperty().get() ? "No interval with calls" : "No intervals";
            case IDLE -> "Pick a day and an interval";
        };
    }

    /** Against the target of the item's queue (or of the center). */
    private boolean belowTarget(IntervalReportItem i) {
        var q = console.state().metrics().queue(i.queueId());
        Double target = q != null ? q.today().slTarget() : console.state().metrics().centerProperty().get().slTarget();
        return i.serviceLevel() != null && target != null && i.serviceLevel() < target;
    }

    private TableView<AgentReportItem> agentsTable() {
        TableView<AgentReportItem> t = new TableView<>(vm.agents());
        t.setId("report-agents");
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().setAll(List.of(
            text("Agent", 120, AgentReportItem::agentId),
            number("Answered", 70, a -> a.answered() + "/" + a.offered()),
            number("Missed", 56, a -> String.valueOf(a.missed())),
            number("Talk", 64, a -> Format.seconds(a.talkTime())),
            number("Hold", 64, a -> Format.seconds(a.holdTime())),
            number("Wrap-up", 64, a -> Format.seconds(a.wrapUpTime())),
            number("Logged in", 72, a -> Format.seconds(a.loggedInTime())),
            number("Not ready", 72, a -> Format.seconds(a.notReadyTime())),
            text("By reason", 170, a -> Format.reasons(a.notReadyByReason())),
            number("Occupancy", 76, a -> Format.percent(a.occupancy()))));
        t.placeholderProperty().bind(vm.messageProperty().map(m -> new Label(
            vm.statusProperty().get() == ReportsViewModel.Status.LOADING ? "Loading…" : "No agents in this report")));
        return t;
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        return l;
    }

    private static Region gap() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
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
