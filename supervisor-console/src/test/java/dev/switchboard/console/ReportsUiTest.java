package dev.switchboard.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.console.view.ReportsView;
import dev.switchboard.console.wire.IntervalReportItem;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
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
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Reports tab, headless under Monocle, against a stand-in for the server's report routes
 * (docs/presence-and-kpis.md, "Reports"): the console is only a client of them, so a small HTTP
 * server on the loopback answers {@code GET /api/info} and {@code GET /api/reports/*} with the
 * contract's JSON and CSV, and records what it was asked. The live feed has no Socket.io to reach
 * here; reports do not need it.
 */
@ExtendWith(ApplicationExtension.class)
class ReportsUiTest {

    private static final String KEY = "reports-test-supervisor-key";
    /** A day the stand-in refuses, as the server does a range it will not answer. */
    private static final LocalDate REFUSED = LocalDate.of(2020, 1, 1);
    private static final String INTERVALS_CSV = "start,end,queue_id,offered,answered,answered_within_sla,abandoned,"
        + "abandoned_short,service_level,abandon_rate,asa,aht,longest_wait\n"
        + "%1$sT08:00:00Z,%1$sT09:00:00Z,medical_spanish,12,10,9,1,0,0.818,0.091,14.2,310.5,41.0\n";
    private static final String AGENTS_CSV = "agent_id,offered,answered,missed,talk_time,hold_time,wrap_up_time,"
        + "logged_in_time,not_ready_time,not_ready_by_reason,occupancy\n"
        + "ana_garcia,9,8,1,5400.0,300.0,120.0,28800.0,1800.0,lunch=1800.0,0.2\n";

    private static HttpServer stub;
    private static final List<String> asked = new CopyOnWriteArrayList<>();

    @TempDir
    Path home;
    @TempDir
    Path saved;
    private ConsoleApp app;

    @BeforeAll
    static void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();   // no Socket.io here: the feed keeps trying, reports do not care
        }
        int socketPort = closedPort;
        stub.createContext("/api/info", ex -> reply(ex, 200, "application/json",
            "{\"service\": \"switchboard\", \"version\": \"v1\", \"role\": \"supervisor\", \"socket_port\": " + socketPort
                + ", \"server_time\": \"" + java.time.Instant.now() + "\"}"));
        stub.createContext("/api/reports/intervals", ex -> report(ex, true));
        stub.createContext("/api/reports/agents", ex -> report(ex, false));
        stub.start();
    }

    @AfterAll
    static void stopStub() {
        stub.stop(0);
    }

    /** The contract's reply for the day asked; a 400 problem naming {@code from} for {@link #REFUSED}. */
    private static void report(HttpExchange ex, boolean intervals) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        asked.add(ex.getRequestURI().getPath() + "?" + query);
        if (!KEY.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
            reply(ex, 401, "application/problem+json", "{\"status\": 401, \"detail\": \"missing or wrong key\"}");
            return;
        }
        String day = param(query, "from");
        if (REFUSED.toString().equals(day)) {
            reply(ex, 400, "application/problem+json", "{\"type\": \"about:blank\", \"title\": \"Bad Request\", \"status\": 400,"
                + " \"detail\": \"invalid report request\", \"errors\": [{\"field\": \"from\","
                + " \"message\": \"is before the retention period (P90D)\"}]}");
            return;
        }
        boolean csv = "csv".equals(param(query, "format"));
        if (csv) {
            reply(ex, 200, "text/csv", (intervals ? INTERVALS_CSV : AGENTS_CSV).formatted(day));
        } else if (intervals) {
            reply(ex, 200, "application/json", "{\"items\": ["
                + item(day, "08:00", "09:00", "medical_spanish", 12, 10, 9, 1, "0.818", "0.091", "14.2", "310.5", "41.0") + ","
                + item(day, "08:00", "09:00", "legal_french", 3, 3, 1, 0, "0.333", "0.0", "35.0", "200.0", "52.0") + ","
                + item(day, "09:00", "10:00", "medical_spanish", 0, 0, 0, 0, "null", "null", "null", "null", "0") + ","
                + item(day, "09:00", "10:00", "legal_french", 0, 0, 0, 0, "null", "null", "null", "null", "0") + ","
                + item(day, "10:00", "11:00", "medical_spanish", 4, 4, 4, 0, "1.0", "0.0", "6.0", "250.0", "9.0") + ","
                + item(day, "10:00", "11:00", "legal_french", 0, 0, 0, 0, "null", "null", "null", "null", "0") + "]}");
        } else {
            reply(ex, 200, "application/json", "{\"items\": [{\"agent_id\": \"ana_garcia\", \"offered\": 9, \"answered\": 8,"
                + " \"missed\": 1, \"talk_time\": 5400.0, \"hold_time\": 300.0, \"wrap_up_time\": 120.0,"
                + " \"logged_in_time\": 28800.0, \"not_ready_time\": 1800.0, \"not_ready_by_reason\": {\"lunch\": 1800.0},"
                + " \"occupancy\": 0.2}]}");
        }
    }

    private static String item(String day, String from, String to, String queue, int offered, int answered, int within,
                               int abandoned, String sl, String abandonRate, String asa, String aht, String longest) {
        return "{\"start\": \"" + day + "T" + from + ":00Z\", \"end\": \"" + day + "T" + to + ":00Z\", \"queue_id\": \""
            + queue + "\", \"offered\": " + offered + ", \"answered\": " + answered + ", \"answered_within_sla\": " + within
            + ", \"abandoned\": " + abandoned + ", \"abandoned_short\": 0, \"service_level\": " + sl + ", \"abandon_rate\": "
            + abandonRate + ", \"asa\": " + asa + ", \"aht\": " + aht + ", \"longest_wait\": " + longest + "}";
    }

    private static String param(String query, String name) {
        for (String kv : query == null ? new String[0] : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
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
    void theReportsTabShowsTodaysIntervalsAsATableAndAChartAndTheAgents(FxRobot robot) throws Exception {
        openReports(robot);
        String today = LocalDate.now().toString();

        eventually("the intervals with calls in the table", () -> intervals(robot).getItems().size() == 3);
        assertTrue(asked.contains("/api/reports/intervals?from=" + today + "&interval=PT1H"), asked.toString());
        assertTrue(asked.contains("/api/reports/agents?from=" + today), asked.toString());
        assertEquals(List.of("medical_spanish", "legal_french", "medical_spanish"),
            fx(() -> intervals(robot).getItems().stream().map(IntervalReportItem::queueId).toList()));
        assertTrue(text(robot, "#report-status").startsWith(today + " · 19 offered · 17 answered · service level 78%"),
            text(robot, "#report-status"));

        // the chart: one point per interval with calls (both queues together), stacked volume for all three
        @SuppressWarnings("unchecked")
        javafx.scene.chart.LineChart<String, Number> sl = robot.lookup("#report-sl-chart").queryAs(javafx.scene.chart.LineChart.class);
        List<Number> points = fx(() -> sl.getData().get(0).getData().stream().map(XYChart.Data::getYValue).toList());
        assertEquals(List.of(71.4, 100.0), points, "10 within of 14 at 08:00, 4 of 4 at 10:00");
        @SuppressWarnings("unchecked")
        javafx.scene.chart.StackedBarChart<String, Number> volume =
            robot.lookup("#report-volume-chart").queryAs(javafx.scene.chart.StackedBarChart.class);
        assertEquals(List.of(10L, 0L, 4L), fx(() -> volume.getData().get(0).getData().stream().map(XYChart.Data::getYValue).toList()));
        assertEquals(List.of(1L, 0L, 0L), fx(() -> volume.getData().get(2).getData().stream().map(XYChart.Data::getYValue).toList()),
            "abandoned");
        assertEquals(List.of(3L, 0L, 0L), fx(() -> volume.getData().get(1).getData().stream().map(XYChart.Data::getYValue).toList()),
            "answered late");

        // the empty interval shows once asked for
        robot.clickOn("#report-only-calls");
        eventually("every interval", () -> intervals(robot).getItems().size() == 6);

        // the agents
        robot.interact(() -> ((TabPane) robot.lookup("#report-tabs").query()).getSelectionModel().select(1));
        eventually("the agent row", () -> ((TableView<?>) robot.lookup("#report-agents").query()).getItems().size() == 1);
        eventually("its not-ready reasons", () -> robot.lookup("#report-agents .table-cell").queryAll().stream()
            .anyMatch(n -> n instanceof javafx.scene.control.TableCell<?, ?> c && "lunch 30:00".equals(c.getText())));
    }

    @Test
    void anotherIntervalIsAskedForAndTheCsvIsSavedToTheChosenFile(FxRobot robot) throws Exception {
        openReports(robot);
        eventually("the first report", () -> !intervals(robot).getItems().isEmpty());
        asked.clear();
        @SuppressWarnings("unchecked")
        ComboBox<Object> interval = robot.lookup("#report-interval").queryAs(ComboBox.class);
        robot.interact(() -> interval.getSelectionModel().select(0));   // 15 min
        String today = LocalDate.now().toString();
        eventually("the 15-minute report asked for", () -> asked.contains("/api/reports/intervals?from=" + today + "&interval=PT15M"));

        ReportsView view = robot.lookup("#reports").queryAs(ReportsView.class);
        robot.interact(() -> view.setSaveTarget(name -> Optional.of(saved.resolve(name))));
        eventually("the report shown", () -> text(robot, "#report-status").startsWith(today));
        robot.clickOn("#report-save");

        Path file = saved.resolve("switchboard-intervals-" + today + "-PT15M.csv");
        eventually("the CSV written", () -> Files.exists(file));
        assertEquals(INTERVALS_CSV.formatted(today), Files.readString(file));
        assertTrue(asked.contains("/api/reports/intervals?from=" + today + "&interval=PT15M&format=csv"), asked.toString());
        eventually("the status bar says so", () -> text(robot, "#notice").equals("Saved " + file.getFileName() + " (1 rows)"));

        robot.interact(() -> ((TabPane) robot.lookup("#report-tabs").query()).getSelectionModel().select(1));
        robot.clickOn("#report-save");
        Path agents = saved.resolve("switchboard-agents-" + today + ".csv");
        eventually("the agents CSV written", () -> Files.exists(agents));
        assertEquals(AGENTS_CSV, Files.readString(agents));
    }

    @Test
    void aRefusedReportShowsTheServersMessage(FxRobot robot) throws Exception {
        openReports(robot);
        eventually("the first report", () -> !intervals(robot).getItems().isEmpty());
        DatePicker day = robot.lookup("#report-day").queryAs(DatePicker.class);
        robot.interact(() -> day.setValue(REFUSED));

        eventually("the refusal", () -> text(robot, "#report-status").startsWith("Could not load the report"));
        assertEquals("Could not load the report: invalid report request (from: is before the retention period (P90D))",
            text(robot, "#report-status"));
        assertTrue(robot.lookup("#report-status").query().getPseudoClassStates()
            .contains(javafx.css.PseudoClass.getPseudoClass("failed")), "shown as an error");
        assertTrue(fx(() -> intervals(robot).getItems().isEmpty()), "the previous day's report is not left under the error");
        assertTrue(fx(() -> ((javafx.scene.chart.LineChart<?, ?>) robot.lookup("#report-sl-chart").query()).getData().get(0)
            .getData().isEmpty()), "nor its chart");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void openReports(FxRobot robot) throws Exception {
        robot.interact(() -> ((TextField) robot.lookup("#server-url").query()).setText("http://127.0.0.1:" + stub.getAddress().getPort()));
        robot.clickOn("#api-key");
        robot.write(KEY);
        robot.type(KeyCode.ENTER);
        eventually("the console", () -> robot.lookup("#main-tabs").tryQuery().isPresent());
        robot.interact(() -> ((TabPane) robot.lookup("#main-tabs").query()).getSelectionModel().select(1));
    }

    @SuppressWarnings("unchecked")
    private static TableView<IntervalReportItem> intervals(FxRobot robot) {
        return (TableView<IntervalReportItem>) robot.lookup("#report-intervals").query();
    }

    private static String text(FxRobot robot, String query) throws Exception {
        return fx(() -> ((Label) robot.lookup(query).query()).getText());
    }

    private static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    private static void eventually(String what, Callable<Boolean> check) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
                try {
                    return fx(check);
                } catch (RuntimeException e) {
                    return false;
                }
            });
        } catch (TimeoutException e) {
            fail("timed out waiting for: " + what);
        }
    }
}
