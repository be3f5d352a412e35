package dev.switchboard.console.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.console.state.CenterState;
import dev.switchboard.console.state.ConnectionState;
import dev.switchboard.console.wire.Json;
import dev.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live feed against the real call-server: subscribe, live pushes, and a dropped link that
 * resumes by seq, with the events committed meanwhile replayed once and nothing applied twice.
 * The state is confined to a single "UI" thread, as the JavaFX thread confines it in the app.
 */
class LiveFeedReconnectTest {

    private static TestServer server;
    private final ExecutorService ui = Executors.newSingleThreadExecutor();
    private final CenterState state = new CenterState();

    @BeforeAll
    static void startServer() {
        server = TestServer.start(TestServer.Backend.H2);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void stopUi() {
        ui.shutdownNow();
    }

    @Test
    void aDroppedLinkResumesWithoutGapsOrDuplicates() throws Exception {
        int socketPort = URI.create(server.socketUrl()).getPort();
        CountDownLatch subscribed = new CountDownLatch(1);
        try (TcpRelay relay = new TcpRelay(TestServer.freePort(), socketPort);
             LiveFeed feed = new LiveFeed(URI.create("http://127.0.0.1:" + relay.port()), TestServer.SUPERVISOR_KEY,
                 state, ui, subscribed::countDown, seq -> { })) {
            feed.start();
            assertTrue(subscribed.await(15, TimeUnit.SECONDS), "subscribed");

            post("r1", "call_initiated", "{\"type\":\"voice\",\"queue_id\":\"medical_spanish\"}");
            post("r1", "call_routed", "{\"agent_id\":\"ana_garcia\"}");
            eventually("r1 ringing live", () -> "ringing".equals(phaseOf("r1")));

            relay.cut();
            eventually("the indicator shows the drop", () -> state.connectionProperty().get() == ConnectionState.RECONNECTING);
            post("r1", "call_answered", "{}");
            post("r2", "call_initiated", "{\"type\":\"video\",\"queue_id\":\"legal_french\"}");
            post("r2", "call_ended", "{\"end_reason\":\"caller_hung_up\"}");
            long lastSeqOnServer = lastSeq("r2");
            Thread.sleep(300);   // nothing can arrive while the link is cut
            assertEquals("ringing", onUi(() -> phaseOf("r1")));

            relay.restore();
            eventually("live again after a resume", () -> state.connectionProperty().get() == ConnectionState.LIVE
                && state.connectionDetailProperty().get().startsWith("resumed"));
            eventually("the missed events applied", () -> "active".equals(phaseOf("r1")) && "ended".equals(phaseOf("r2")));
            assertTrue(onUi(() -> state.connectionDetailProperty().get()).matches("resumed, \\d+ missed updates? replayed"),
                onUi(() -> state.connectionDetailProperty().get()));
            assertEquals(lastSeqOnServer, onUi(state::lastSeq), "nothing missed: the console is at the server's seq");

            post("r3", "call_initiated", "{\"type\":\"voice\",\"queue_id\":\"medical_english\"}");
            eventually("live pushes flow after the resume", () -> phaseOf("r3") != null);
            assertEquals(3, (int) onUi(() -> state.calls().rows().size()), "each call once");
        }
    }

    @Test
    void aRestartedServerIsRejoinedByItselfAndNothingIsLostOrDoubled() throws Exception {
        ServerApi api = new ServerApi(URI.create(server.baseUrl()), TestServer.SUPERVISOR_KEY);
        var info = api.info().get(10, TimeUnit.SECONDS);
        try (dev.switchboard.console.Console console = new dev.switchboard.console.Console(api, TestServer.SUPERVISOR_KEY,
            info, ui)) {
            CenterState state = console.state();
            console.start();
            post("s1", "call_initiated", "{\"type\":\"voice\",\"queue_id\":\"medical_english\"}");
            eventually(state, "s1 live", () -> state.calls().call("s1") != null);
            long before = onUi(state::lastSeq);
            var row = onUi(() -> state.calls().row("s1"));

            server.stop();
            eventually(state, "the indicator shows the drop", () -> state.connectionProperty().get() != ConnectionState.LIVE);
            server.startAgain();   // same database and ports: a redeploy

            eventually(state, "live again after a resume", () -> state.connectionProperty().get() == ConnectionState.LIVE
                && state.connectionDetailProperty().get().startsWith("resumed"));
            post("s1", "call_ended", "{\"end_reason\":\"caller_hung_up\"}");
            eventually(state, "pushes flow from the restarted server", () -> "ended".equals(state.calls().call("s1").phase()));
            assertTrue(onUi(state::lastSeq) > before);
            assertEquals(lastSeq("s1"), onUi(state::lastSeq), "at the server's seq: the restart was not taken for a reset");
            assertEquals(1L, (long) onUi(() -> state.calls().rows().stream().filter(r -> r.id().equals("s1")).count()));
            assertTrue(row == onUi(() -> state.calls().row("s1")), "the same row: the state was kept, not rebuilt");
        }
    }

    @Test
    void aKeyThatMayNotSuperviseIsRefusedAndNotRetried() throws Exception {
        try (LiveFeed feed = new LiveFeed(URI.create(server.socketUrl()), TestServer.INGEST_KEY, state, ui, () -> { },
            seq -> { })) {
            feed.start();
            eventually("offline", () -> state.connectionProperty().get() == ConnectionState.OFFLINE);
            assertTrue(onUi(() -> state.connectionDetailProperty().get()).contains("unauthorized"));
        }
    }

    private String phaseOf(String callId) {
        var c = state.calls().call(callId);
        return c == null ? null : c.phase();
    }

    private static void post(String callId, String type, String data) {
        var res = server.postEvent("{\"type\":\"" + type + "\",\"call_id\":\"" + callId + "\",\"data\":" + data + "}");
        assertTrue(res.statusCode() == 201, res.statusCode() + " " + res.body());
    }

    private static long lastSeq(String callId) {
        JsonNode events = Json.parse(server.get("/api/calls/" + callId + "/events").body());
        return events.get(events.size() - 1).path("seq").asLong();
    }

    private <T> T onUi(Callable<T> c) throws Exception {
        return ui.submit(c).get(10, TimeUnit.SECONDS);
    }

    private void eventually(String what, Callable<Boolean> check) throws Exception {
        eventually(state, what, check);
    }

    private void eventually(CenterState state, String what, Callable<Boolean> check) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(until)) {
            if (onUi(check)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("timed out waiting for: " + what + " (connection " + onUi(() -> state.connectionProperty().get() + " "
            + state.connectionDetailProperty().get() + "; notice " + state.noticeProperty().get()) + ")");
    }
}
