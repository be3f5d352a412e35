package dev.switchboard.console.state;

import dev.switchboard.console.wire.AgentReportItem;
import dev.switchboard.console.wire.IntervalReportItem;
import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Reports view shows from what the server answered: totals per interval, the chart, the states. */
class ReportsViewModelTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 2);
    private static final Instant H8 = Instant.parse("2026-12-02T08:00:00Z");
    private final ReportsViewModel vm = new ReportsViewModel(ZoneId.of("UTC"), DAY);

    private static IntervalReportItem item(Instant start, String queue, long offered, long answered, long within, long abandoned) {
        long base = answered + abandoned;
        return new IntervalReportItem(start, start.plusSeconds(3600), queue, offered, answered, within, abandoned, 0,
            base == 0 ? null : (double) within / base, base == 0 ? null : (double) abandoned / base, null, null, 0);
    }

    private static final AgentReportItem ANA = new AgentReportItem("ana", 5, 4, 1, 1200, 60, 30, 14400, 1800,
        Map.of("lunch", 1800.0), 0.09);

    private static List<Number> values(XYChart.Series<String, Number> s) {
        return s.getData().stream().map(XYChart.Data::getYValue).toList();
    }

    @Test
    void allQueuesAreAddedUpPerIntervalWithTheContractsFormula() {
        List<ReportsViewModel.IntervalTotals> totals = ReportsViewModel.totals(List.of(
            item(H8, "legal_french", 4, 3, 3, 1), item(H8, "medical_spanish", 10, 8, 6, 2),
            item(H8.plusSeconds(3600), "legal_french", 0, 0, 0, 0), item(H8.plusSeconds(3600), "medical_spanish", 2, 2, 2, 0)));
        assertEquals(2, totals.size());
        var eight = totals.get(0);
        assertEquals(14, eight.offered());
        assertEquals(11, eight.answered());
        assertEquals(9, eight.answeredWithinSla());
        assertEquals(3, eight.abandoned());
        assertEquals(9.0 / 14, eight.serviceLevel(), 1e-9, "within SLA ÷ (answered + abandoned), not an average of shares");
        assertEquals(1.0, totals.get(1).serviceLevel());
        assertNull(new ReportsViewModel.IntervalTotals(H8, H8, 3, 0, 0, 0).serviceLevel(), "nothing answered or abandoned yet");
    }

    @Test
    void aLoadedReportDrawsServiceLevelAgainstTargetAndStackedVolume() {
        long n = vm.begin();
        assertEquals(ReportsViewModel.Status.LOADING, vm.statusProperty().get());
        vm.loaded(n, vm.picked(), List.of(item(H8, "medical_spanish", 10, 8, 6, 2),
            item(H8.plusSeconds(3600), "medical_spanish", 0, 0, 0, 0),
            item(H8.plusSeconds(7200), "medical_spanish", 5, 5, 5, 0)), List.of(ANA), 0.8);

        assertEquals(ReportsViewModel.Status.READY, vm.statusProperty().get());
        assertEquals(List.of("08:00", "09:00", "10:00"), vm.categories());
        XYChart.Series<String, Number> sl = vm.serviceLevelSeries().get(0);
        assertEquals(ReportsViewModel.SERVICE_LEVEL, sl.getName());
        assertEquals(List.of("08:00", "10:00"), sl.getData().stream().map(XYChart.Data::getXValue).toList(),
            "an interval without calls has no service level to draw");
        assertEquals(List.of(60.0, 100.0), values(sl));
        assertEquals(List.of(80.0, 80.0, 80.0), values(vm.serviceLevelSeries().get(1)));
        assertEquals(List.of(6L, 0L, 5L), values(vm.volumeSeries().get(0)));
        assertEquals(List.of(2L, 0L, 0L), values(vm.volumeSeries().get(1)), "answered late");
        assertEquals(List.of(2L, 0L, 0L), values(vm.volumeSeries().get(2)), "abandoned");
        assertEquals("2026-12-02 · 15 offered · 13 answered · service level 73% / 80% · abandoned 13%",
            vm.messageProperty().get());
        assertEquals(2, vm.shownIntervals().size(), "the table hides the empty interval");
        vm.onlyWithCallsProperty().set(false);
        assertEquals(3, vm.shownIntervals().size());
        assertEquals(List.of(ANA), vm.agents());
    }

    @Test
    void withoutATargetNoTargetLineIsDrawn() {
        long n = vm.begin();
        vm.loaded(n, vm.picked(), List.of(item(H8, "q", 1, 1, 1, 0)), List.of(), null);
        assertTrue(vm.serviceLevelSeries().get(1).getData().isEmpty());
        assertTrue(vm.messageProperty().get().contains("service level 100% ·"), vm.messageProperty().get());
    }

    @Test
    void aDayWithoutCallsSaysSo() {
        vm.queueProperty().set("legal_french");
        long n = vm.begin();
        vm.loaded(n, vm.picked(), List.of(item(H8, "legal_french", 0, 0, 0, 0)), List.of(), 0.8);
        assertEquals(ReportsViewModel.Status.EMPTY, vm.statusProperty().get());
        assertEquals("No calls in legal_french on 2026-12-02", vm.messageProperty().get());
        assertTrue(vm.shownIntervals().isEmpty());
    }

    @Test
    void aRefusalIsShownWithTheServersMessageAndClearsTheReportBefore() {
        vm.loaded(vm.begin(), vm.picked(), List.of(item(H8, "q", 1, 1, 1, 0)), List.of(ANA), 0.8);
        long n = vm.begin();
        assertTrue(vm.failed(n, "from: must be a date or an instant"));
        assertEquals(ReportsViewModel.Status.FAILED, vm.statusProperty().get());
        assertEquals("Could not load the report: from: must be a date or an instant", vm.messageProperty().get());
        assertTrue(vm.intervals().isEmpty());
        assertTrue(vm.agents().isEmpty());
        assertTrue(vm.categories().isEmpty());
        assertTrue(vm.serviceLevelSeries().get(0).getData().isEmpty());
    }

    @Test
    void aReplyToAReplacedRequestIsDropped() {
        long first = vm.begin();
        vm.dayProperty().set(DAY.minusDays(1));
        long second = vm.begin();
        assertFalse(vm.loaded(first, new ReportsViewModel.Request(DAY, ReportInterval.HOUR, null),
            List.of(item(H8, "q", 1, 1, 1, 0)), List.of(), null));
        assertFalse(vm.failed(first, "late"));
        assertEquals(ReportsViewModel.Status.LOADING, vm.statusProperty().get());
        assertTrue(vm.intervals().isEmpty());
        assertTrue(vm.loaded(second, vm.picked(), List.of(), List.of(), null));
        assertEquals(DAY.minusDays(1), vm.shown().day());
    }

    @Test
    void labelsAndFileNamesFollowWhatIsShown() {
        assertEquals("08:15", vm.label(H8.plusSeconds(900), ReportInterval.MINUTES_15));
        assertEquals("Wed 2 Dec", vm.label(H8, ReportInterval.DAY));
        assertEquals("09:00", new ReportsViewModel(ZoneId.of("Europe/Paris"), DAY).label(H8, ReportInterval.HOUR),
            "in the console's zone");

        assertEquals("switchboard-intervals-2026-12-02-PT1H.csv", vm.suggestedFileName(ReportsViewModel.Kind.INTERVALS));
        vm.intervalProperty().set(ReportInterval.MINUTES_15);
        vm.queueProperty().set("medical_spanish");
        long n = vm.begin();
        vm.loaded(n, vm.picked(), List.of(), List.of(), null);
        vm.queueProperty().set("legal_french");   // picked, not yet loaded: the file is what is shown
        assertEquals("switchboard-intervals-2026-12-02-PT15M-medical_spanish.csv",
            vm.suggestedFileName(ReportsViewModel.Kind.INTERVALS));
        assertEquals("switchboard-agents-2026-12-02.csv", vm.suggestedFileName(ReportsViewModel.Kind.AGENTS));
        assertEquals("PT30M", ReportInterval.MINUTES_30.wire());
        assertEquals("P1D", ReportInterval.DAY.wire());
    }
}
