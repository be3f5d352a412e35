package dev.switchboard.console.state;

import dev.switchboard.console.wire.AgentReportItem;
import dev.switchboard.console.wire.IntervalReportItem;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.scene.chart.XYChart;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Reports view's state: what to report (a day, an interval length, one queue or all), what the
 * server answered (the interval and agent reports), and what the chart draws from it: the service
 * level per interval beside its target, and the volume per interval (answered within the SLA,
 * answered late, abandoned). With all queues, the chart adds the queues of each interval up with
 * the contract's formulas; the table keeps one row per interval and queue.
 *
 * <p>Every load is numbered: a reply to a request the supervisor has since replaced (another day
 * picked while the first was loading) is dropped. FX-thread only.
 */
public final class ReportsViewModel {

    /** How far a report has got; the view shows {@link #messageProperty()} for each. */
    public enum Status { IDLE, LOADING, READY, EMPTY, FAILED }

    /** The two reports, each saved as its own CSV. */
    public enum Kind { INTERVALS, AGENTS }

    public static final String SERVICE_LEVEL = "Service level";
    public static final String TARGET = "Target";
    public static final String WITHIN_SLA = "Answered within SLA";
    public static final String ANSWERED_LATE = "Answered late";
    public static final String ABANDONED = "Abandoned";

    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE d MMM", Locale.ENGLISH);

    private final ZoneId zone;
    private final QueueNames queueNames;
    private final ObjectProperty<LocalDate> day;
    private final ObjectProperty<ReportInterval> interval = new SimpleObjectProperty<>(this, "interval", ReportInterval.HOUR);
    /** One queue's id, or {@code null} for all queues. */
    private final ObjectProperty<String> queue = new SimpleObjectProperty<>(this, "queue");
    private final BooleanProperty onlyWithCalls = new SimpleBooleanProperty(this, "onlyWithCalls", true);
    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.IDLE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "Pick a day and an interval");

    private final ObservableList<IntervalReportItem> intervals = FXCollections.observableArrayList();
    private final FilteredList<IntervalReportItem> shownIntervals = new FilteredList<>(intervals);
    private final ObservableList<AgentReportItem> agents = FXCollections.observableArrayList();
    private final ObservableList<String> categories = FXCollections.observableArrayList();
    private final XYChart.Series<String, Number> serviceLevel = series(SERVICE_LEVEL);
    private final XYChart.Series<String, Number> target = series(TARGET);
    private final ObservableList<XYChart.Series<String, Number>> serviceLevelSeries =
        FXCollections.observableArrayList(List.of(serviceLevel, target));
    private final ObservableList<XYChart.Series<String, Number>> volumeSeries =
        FXCollections.observableArrayList(List.of(series(WITHIN_SLA), series(ANSWERED_LATE), series(ABANDONED)));

    private long request;
    /** What the shown report was asked for (its CSV is saved for the same), {@code null} before one. */
    private Request shown;

    /**
     * @param zone  the zone interval labels are read in (the console's, as every time it shows)
     * @param today the day a new view shows
     */
    public ReportsViewModel(ZoneId zone, LocalDate today) {
        this(zone, today, new QueueNames());
    }

    /** @param queueNames how a queue is named in the messages (its id when unknown) */
    public ReportsViewModel(ZoneId zone, LocalDate today, QueueNames queueNames) {
        this.zone = zone;
        this.queueNames = queueNames;
        this.day = new SimpleObjectProperty<>(this, "day", today);
        onlyWithCalls.addListener((o, a, b) -> filter());
        filter();
    }

    public ReportsViewModel(QueueNames queueNames) {
        this(ZoneId.systemDefault(), LocalDate.now(), queueNames);
    }

    /** What a report is asked for: a day, an interval length, one queue or all ({@code null}). */
    public record Request(LocalDate day, ReportInterval interval, String queue) {
    }

    /** What is picked now. */
    public Request picked() {
        return new Request(day.get(), interval.get(), queue.get());
    }

    /** What the report on screen was asked for, or what is picked before any was shown. */
    public Request shown() {
        return shown != null ? shown : picked();
    }

    /** A total of one interval, over one queue or all of them. */
    public record IntervalTotals(Instant start, Instant end, long offered, long answered, long answeredWithinSla,
                                 long abandoned) {

        /** answered within SLA ÷ (answered + abandoned), {@code null} when both are 0 (the contract's formula). */
        public Double serviceLevel() {
            long base = answered + abandoned;
            return base == 0 ? null : (double) answeredWithinSla / base;
        }
    }

    /** The items added up per interval (all queues of one interval together), in time order. */
    public static List<IntervalTotals> totals(List<IntervalReportItem> items) {
        Map<Instant, IntervalTotals> byStart = new LinkedHashMap<>();
        for (IntervalReportItem i : items) {
            byStart.merge(i.start(), new IntervalTotals(i.start(), i.end(), i.offered(), i.answered(),
                i.answeredWithinSla(), i.abandoned()), (a, b) -> new IntervalTotals(a.start(), a.end(),
                a.offered() + b.offered(), a.answered() + b.answered(), a.answeredWithinSla() + b.answeredWithinSla(),
                a.abandoned() + b.abandoned()));
        }
        return new ArrayList<>(byStart.values());
    }

    /**
     * Starts a load of what is picked now.
     *
     * @return the load's number, to hand back with its result
     */
    public long begin() {
        request++;
        status.set(Status.LOADING);
        message.set("Loading the report for " + day.get() + "…");
        return request;
    }

    /**
     * The server's answer to load {@code number}.
     *
     * @param slTarget the target drawn beside the service level (the queue's, or the center's), {@code null} if unknown
     * @return whether it was shown ({@code false}: a newer load replaced it)
     */
    public boolean loaded(long number, Request asked, List<IntervalReportItem> intervalItems,
                          List<AgentReportItem> agentItems, Double slTarget) {
        if (number != request) {
            return false;
        }
        shown = asked;
        LocalDate forDay = asked.day();
        ReportInterval forInterval = asked.interval();
        String forQueue = asked.queue();
        intervals.setAll(intervalItems);
        agents.setAll(agentItems);
        List<IntervalTotals> totals = totals(intervalItems);
        draw(totals, forInterval, slTarget);
        long offered = totals.stream().mapToLong(IntervalTotals::offered).sum();
        long answered = totals.stream().mapToLong(IntervalTotals::answered).sum();
        long within = totals.stream().mapToLong(IntervalTotals::answeredWithinSla).sum();
        long abandoned = totals.stream().mapToLong(IntervalTotals::abandoned).sum();
        boolean anyCalls = intervalItems.stream().anyMatch(IntervalReportItem::hasCalls);
        String where = forQueue == null ? "" : " in " + queueNames.name(forQueue);
        if (!anyCalls && agentItems.isEmpty()) {
            status.set(Status.EMPTY);
            message.set("No calls" + where + " on " + forDay);
        } else {
            IntervalTotals day = new IntervalTotals(null, null, offered, answered, within, abandoned);
            long base = answered + abandoned;
            status.set(Status.READY);
            message.set(forDay + where + " · " + offered + " offered · " + answered + " answered · service level "
                + Format.againstTarget(day.serviceLevel(), slTarget) + " · abandoned "
                + (base == 0 ? "–" : Format.percent((double) abandoned / base)));
        }
        return true;
    }

    /**
     * Load {@code number} was refused or could not reach the server: {@code why} is shown as it
     * came, and the report before it is cleared (it answered another question).
     */
    public boolean failed(long number, String why) {
        if (number != request) {
            return false;
        }
        shown = null;
        intervals.clear();
        agents.clear();
        draw(List.of(), interval.get(), null);
        status.set(Status.FAILED);
        message.set("Could not load the report: " + why);
        return true;
    }

    private void draw(List<IntervalTotals> totals, ReportInterval length, Double slTarget) {
        List<String> labels = new ArrayList<>();
        List<XYChart.Data<String, Number>> sl = new ArrayList<>();
        List<XYChart.Data<String, Number>> goal = new ArrayList<>();
        List<XYChart.Data<String, Number>> within = new ArrayList<>();
        List<XYChart.Data<String, Number>> late = new ArrayList<>();
        List<XYChart.Data<String, Number>> abandoned = new ArrayList<>();
        for (IntervalTotals t : totals) {
            String label = label(t.start(), length);
            labels.add(label);
            if (t.serviceLevel() != null) {
                sl.add(new XYChart.Data<>(label, Math.round(t.serviceLevel() * 1000) / 10.0));
            }
            if (slTarget != null) {
                goal.add(new XYChart.Data<>(label, Math.round(slTarget * 1000) / 10.0));
            }
            within.add(new XYChart.Data<>(label, t.answeredWithinSla()));
            late.add(new XYChart.Data<>(label, t.answered() - t.answeredWithinSla()));
            abandoned.add(new XYChart.Data<>(label, t.abandoned()));
        }
        categories.setAll(labels);
        serviceLevel.getData().setAll(sl);
        target.getData().setAll(goal);
        volumeSeries.get(0).getData().setAll(within);
        volumeSeries.get(1).getData().setAll(late);
        volumeSeries.get(2).getData().setAll(abandoned);
    }

    /** An interval as the chart's axis names it: its start ("08:15"), or its date for whole days. */
    public String label(Instant start, ReportInterval length) {
        return start == null ? "" : (length == ReportInterval.DAY ? DATE : HOUR_MINUTE).format(start.atZone(zone));
    }

    /** The file name a saved report is offered under: {@code switchboard-intervals-2026-12-02-PT1H-medical_spanish.csv}. */
    public String suggestedFileName(Kind kind) {
        Request r = shown();
        if (kind == Kind.AGENTS) {
            return "switchboard-agents-" + r.day() + ".csv";
        }
        return "switchboard-intervals-" + r.day() + "-" + r.interval().wire()
            + (r.queue() == null ? "" : "-" + r.queue().replaceAll("[^A-Za-z0-9_-]", "_")) + ".csv";
    }

    private void filter() {
        shownIntervals.setPredicate(onlyWithCalls.get() ? IntervalReportItem::hasCalls : i -> true);
    }

    private static XYChart.Series<String, Number> series(String name) {
        XYChart.Series<String, Number> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }

    public ObjectProperty<LocalDate> dayProperty() {
        return day;
    }

    public ObjectProperty<ReportInterval> intervalProperty() {
        return interval;
    }

    public ObjectProperty<String> queueProperty() {
        return queue;
    }

    public BooleanProperty onlyWithCallsProperty() {
        return onlyWithCalls;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Every item the server sent, one per interval and queue. */
    public ObservableList<IntervalReportItem> intervals() {
        return intervals;
    }

    /** The items the table shows (without the empty intervals while {@link #onlyWithCallsProperty()} is set). */
    public ObservableList<IntervalReportItem> shownIntervals() {
        return shownIntervals;
    }

    public ObservableList<AgentReportItem> agents() {
        return agents;
    }

    /** The chart's x axis: one label per interval, in time order. */
    public ObservableList<String> categories() {
        return categories;
    }

    /** Service level (percent) per interval, and the target beside it. */
    public ObservableList<XYChart.Series<String, Number>> serviceLevelSeries() {
        return serviceLevelSeries;
    }

    /** Calls per interval: answered within the SLA, answered late, abandoned (stacked). */
    public ObservableList<XYChart.Series<String, Number>> volumeSeries() {
        return volumeSeries;
    }
}
