package dev.switchboard.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.console.view.ReportsView;
import dev.switchboard.console.wire.IntervalReportItem;
import dev.switchboard.console.wire.Json;
import dev.switchboard.server.TestServer;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.console.FxWait.eventually;
import static dev.switchboard.console.FxWait.fx;
import static dev.switchboard.console.FxWait.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Reports tab, headless under Monocle, against a real call-server: a scripted hour posted with
 * past timestamps (as in call-server's ReportsTests: no ring or hold timer decides anything in it),
 * then the tab's table, chart, status line and saved CSV compared with what the server's
 * {@code GET /api/reports/*} answer; and a server gone away named in the tab, the old report cleared.
 */
@ExtendWith(ApplicationExtension.class)
class ReportsUiTest {

    /** The hour of the script: four hours back (so in the past, and in the day of {@link #DAY}). */
    private static final Instant HOUR = Instant.now().minus(Duration.ofHours(4)).truncatedTo(ChronoUnit.HOURS);
    private static final LocalDate DAY = LocalDate.ofInstant(HOUR, ZoneOffset.UTC);

    private static TestServer server;

    @TempDir
    Path home;
    @TempDir
    Path saved;
    private ConsoleApp app;

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.Backend.H2, Map.of("SWITCHBOARD_RING_TIMEOUT", "PT24H",
            "SWITCHBOARD_MAX_HOLD", "PT24H", "SWITCHBOARD_CALL_MAX_IDLE", "PT720H"));
        // medical_spanish: answered in 10 s, answered in 40 s (late), abandoned after 20 s;
        // legal_french: answered in 15 s. Service level 2 of 4 within the SLA; the default short abandon is 5 s.
        List<String> events = new ArrayList<>();
        call(events, "rep-1", "medical_spanish", 0, "ana_garcia", 10, 300);
        call(events, "rep-2", "medical_spanish", 60, "luis_martinez", 40, 120);
        call(events, "rep-3", "medical_spanish", 600, null, 20, 0);
        call(events, "rep-4", "legal_french", 1200, "chloe_martin", 15, 240);
        var res = server.post("/api/events", TestServer.INGEST_KEY, "application/json", "[" + String.join(",", events) + "]");
        assertEquals(200, res.statusCode() / 100 * 100, res.body());
    }

    /** A call of the script: in at {@code atS} seconds into the hour; answered after {@code waitS} by {@code agent}, or hung up then. */
    private static void call(List<String> events, String id, String queue, int atS, String agent, int waitS, int talkS) {
        Instant in = HOUR.plusSeconds(atS);
        events.add(timed(id, 1, "call_initiated", in, "{\"type\":\"voice\",\"queue_id\":\"" + queue + "\"}"));
        if (agent == null) {
            events.add(timed(id, 2, "call_ended", in.plusSeconds(waitS), "{\"end_reason\":\"caller_hung_up\"}"));
            return;
        }
        events.add(timed(id, 2, "call_routed", in.plusSeconds(waitS - 2), "{\"agent_id\":\"" + agent + "\"}"));
        events.add(timed(id, 3, "call_answered", in.plusSeconds(waitS), "{}"));
        events.add(timed(id, 4, "call_ended", in.plusSeconds(waitS + talkS), "{\"end_reason\":\"completed\"}"));
    }

    private static String timed(String callId, int step, String type, Instant at, String data) {
        return "{\"event_id\":\"" + callId + "-" + step + "\",\"type\":\"" + type + "\",\"call_id\":\"" + callId
            + "\",\"timestamp\":\"" + at + "\",\"data\":" + data + "}";
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Start
    void start(Stage stage) {
        app = new ConsoleApp(home);
        app.start(stage);
    }

    @Stop
    void stop() {
        app.stop();
    }

    @Test
    void theReportsTabShowsTheServersIntervalsAsATableAndAChartAndTheAgents(FxRobot robot) throws Exception {
        openReports(robot, server);

        eventually("the intervals with calls in the table", () -> intervals(robot).getItems().size() == 2);
        JsonNode items = Json.parse(server.get("/api/reports/intervals?from=" + DAY + "&interval=PT1H").body()).path("items");
        List<String> onServer = new ArrayList<>();
        for (JsonNode i : items) {
            if (i.path("offered").asInt() > 0) {
                onServer.add(i.path("start").asText() + " " + i.path("queue_id").asText() + " " + i.path("offered").asInt() + "/"
                    + i.path("answered").asInt() + "/" + i.path("answered_within_sla").asInt() + "/" + i.path("abandoned").asInt());
            }
        }
        assertEquals(List.of(HOUR + " legal_french 1/1/1/0", HOUR + " medical_spanish 3/2/1/1"), onServer.stream().sorted().toList(),
            "the server counted the script");
        assertEquals(onServer.stream().sorted().toList(), fx(() -> intervals(robot).getItems().stream()
            .map(i -> i.start() + " " + i.queueId() + " " + i.offered() + "/" + i.answered() + "/" + i.answeredWithinSla() + "/" + i.abandoned())
            .sorted().toList()), "the table shows what the server said");
        assertTrue(text(robot, "#report-status").startsWith(DAY + " · 4 offered · 3 answered · service level 50%"),
            text(robot, "#report-status"));

        // the chart: one point for the hour (both queues together), stacked volume
        @SuppressWarnings("unchecked")
        javafx.scene.chart.LineChart<String, Number> sl = robot.lookup("#report-sl-chart").queryAs(javafx.scene.chart.LineChart.class);
        assertEquals(List.of(50.0), fx(() -> sl.getData().get(0).getData().stream().map(d -> d.getYValue().doubleValue()).toList()));
        List<String> hours = fx(() -> List.copyOf(((javafx.scene.chart.CategoryAxis) sl.getXAxis()).getCategories()));
        assertEquals(24, hours.size(), "the day's hours along the axis: " + hours);
        assertEquals(hours.stream().sorted().toList(), hours, "in order, not the hour with a point first");
        @SuppressWarnings("unchecked")
        javafx.scene.chart.StackedBarChart<String, Number> volume =
            robot.lookup("#report-volume-chart").queryAs(javafx.scene.chart.StackedBarChart.class);
        // a bar for every hour of the day, the hour of the script the only one with calls
        for (int[] series : new int[][] {{0, 2}, {1, 1}, {2, 1}}) {   // within the SLA, answered late, abandoned
            List<Number> bars = fx(() -> volume.getData().get(series[0]).getData().stream().map(XYChart.Data::getYValue).toList());
            assertEquals(24, bars.size(), "the day in hours");
            assertEquals(List.of((long) series[1]), bars.stream().filter(b -> b.longValue() != 0).toList(),
                volume.getData().get(series[0]).getName());
        }

        // every interval of the day once asked for
        robot.clickOn("#report-only-calls");
        eventually("every interval", () -> intervals(robot).getItems().size() == items.size());

        // the agents, as the server has them
        robot.interact(() -> ((TabPane) robot.lookup("#report-tabs").query()).getSelectionModel().select(1));
        List<String> agentsOnServer = new ArrayList<>();
        for (JsonNode a : Json.parse(server.get("/api/reports/agents?from=" + DAY).body()).path("items")) {
            if (a.path("answered").asInt() > 0) {
                agentsOnServer.add(a.path("agent_id").asText());
            }
        }
        assertEquals(List.of("ana_garcia", "chloe_martin", "luis_martinez"), agentsOnServer.stream().sorted().toList());
        eventually("the agents who answered", () -> ((TableView<?>) robot.lookup("#report-agents").query()).getItems().stream()
            .filter(i -> i instanceof dev.switchboard.console.wire.AgentReportItem a && a.answered() > 0)
            .map(i -> ((dev.switchboard.console.wire.AgentReportItem) i).agentId()).sorted().toList().equals(agentsOnServer.stream().sorted().toList()));
    }

    @Test
    void aQueueAndAnotherIntervalAreAskedForAndTheCsvSavedIsTheServers(FxRobot robot) throws Exception {
        openReports(robot, server);
        eventually("the first report", () -> !intervals(robot).getItems().isEmpty());
        @SuppressWarnings("unchecked")
        ComboBox<Object> interval = robot.lookup("#report-interval").queryAs(ComboBox.class);
        robot.interact(() -> interval.getSelectionModel().select(0));   // 15 min
        @SuppressWarnings("unchecked")
        ComboBox<String> queue = robot.lookup("#report-queue").queryAs(ComboBox.class);
        eventually("medical_spanish offered", () -> queue.getItems().contains("medical_spanish"));
        robot.interact(() -> queue.setValue("medical_spanish"));
        assertEquals("Medical Spanish", fx(() -> queue.getConverter().toString(queue.getValue())), "picked by its name");
        eventually("the queue's quarter hours", () -> text(robot, "#report-status").startsWith(DAY + " in Medical Spanish · 3 offered")
            && intervals(robot).getItems().stream().allMatch(i -> i.queueId().equals("medical_spanish")));
        // calls in at :00, :01 and :10: the first quarter of the hour
        assertEquals(List.of(HOUR.toString()), fx(() -> intervals(robot).getItems().stream().map(i -> i.start().toString()).toList()));

        ReportsView view = robot.lookup("#reports").queryAs(ReportsView.class);
        robot.interact(() -> view.setSaveTarget(name -> Optional.of(saved.resolve(name))));
        robot.clickOn("#report-save");
        Path file = saved.resolve("switchboard-intervals-" + DAY + "-PT15M-medical_spanish.csv");
        eventually("the CSV written", () -> Files.exists(file));
        Path written = file;
        String csv = server.get("/api/reports/intervals?from=" + DAY + "&interval=PT15M&queue=medical_spanish&format=csv").body();
        assertEquals(csv, Files.readString(written), "the file is the server's CSV: " + written.getFileName());
        eventually("the status bar says so", () -> text(robot, "#notice").startsWith("Saved " + written.getFileName()));
    }

    @Test
    void aServerGoneAwayIsNamedAndTheOldReportCleared(FxRobot robot) throws Exception {
        try (TestServer leaving = TestServer.start(TestServer.Backend.H2)) {
            leaving.postEvent("{\"type\":\"call_initiated\",\"call_id\":\"gone-1\",\"data\":{\"type\":\"voice\",\"queue_id\":\"medical_english\"}}");
            openReports(robot, leaving);
            DatePicker day = robot.lookup("#report-day").queryAs(DatePicker.class);
            robot.interact(() -> day.setValue(LocalDate.now(ZoneOffset.UTC)));
            eventually("today's report", () -> !intervals(robot).getItems().isEmpty());
            leaving.stop();
            robot.interact(() -> day.setValue(LocalDate.now(ZoneOffset.UTC).minusDays(1)));

            eventually("the failure", () -> text(robot, "#report-status").startsWith("Could not load the report: "));
            assertTrue(robot.lookup("#report-status").query().getPseudoClassStates()
                .contains(javafx.css.PseudoClass.getPseudoClass("failed")), "shown as an error");
            assertTrue(fx(() -> intervals(robot).getItems().isEmpty()), "the previous day's report is not left under the error");
            assertTrue(fx(() -> ((javafx.scene.chart.LineChart<?, ?>) robot.lookup("#report-sl-chart").query()).getData().get(0)
                .getData().isEmpty()), "nor its chart");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void openReports(FxRobot robot, TestServer on) throws Exception {
        robot.interact(() -> ((TextField) robot.lookup("#server-url").query()).setText(on.baseUrl()));
        robot.clickOn("#api-key");
        robot.write(TestServer.SUPERVISOR_KEY);
        robot.type(KeyCode.ENTER);
        eventually("the console", () -> robot.lookup("#main-tabs").tryQuery().isPresent());
        robot.interact(() -> ((TabPane) robot.lookup("#main-tabs").query()).getSelectionModel().select(1));
        if (on == server) {
            DatePicker day = robot.lookup("#report-day").queryAs(DatePicker.class);
            robot.interact(() -> day.setValue(DAY));
            eventually("the script's day shown", () -> text(robot, "#report-status").startsWith(DAY.toString()));
        }
    }

    @SuppressWarnings("unchecked")
    private static TableView<IntervalReportItem> intervals(FxRobot robot) {
        return (TableView<IntervalReportItem>) robot.lookup("#report-intervals").query();
    }
}
