package dev.switchboard.server;

import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading (a laptop asleep with its connection open) must not make the
 * server buffer every push for it: after {@code SWITCHBOARD_SOCKET_WRITE_TIMEOUT} without taking
 * data it is closed, and the clients that do read keep getting everything.
 */
class SlowClientTest {

    /** A raw Engine.IO v4 websocket that authenticates, subscribes, then never asks for another frame. */
    private static final class Stalled implements WebSocket.Listener {
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String frame = data.toString();
            if (frame.startsWith("0{")) {
                webSocket.sendText("40{\"token\":\"" + TestServer.SUPERVISOR_KEY + "\"}", true);
            } else if (frame.startsWith("40{")) {
                webSocket.sendText("42[\"subscribe\",{}]", true);
            } else if (frame.startsWith("42[\"subscribed\"")) {
                subscribed.complete(null);
                return null;   // and no request(1) ever again: the client reads nothing more
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsClosedAndTheOthersGetEverything() throws Exception {
        try (TestServer s = TestServer.start(TestServer.Backend.H2,
                 Map.of("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "PT2S", "SWITCHBOARD_RATE_LIMIT", "0"));
             SocketClient good = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
            assertTrue(good.await("connect", 5_000));
            good.subscribe(new JSONObject(Map.of("batch", true)));
            Stalled stalled = new Stalled();
            stalled.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(s.socketUrl().replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"), stalled)
                .get(10, TimeUnit.SECONDS);
            stalled.subscribed.get(10, TimeUnit.SECONDS);
            assertEquals(2, s.app().hub().clientCount());

            // pushes pile up for the stalled client until the socket buffers are full and a write waits 2 s
            int posted = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (int round = 0; round < 400 && s.app().hub().slowClientsClosed() == 0 && System.nanoTime() < deadline; round++) {
                List<String> events = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    events.add(Events.initiated("slow-" + round + "-" + i, "slow-call-" + round + "-" + i, "medical_english"));
                }
                assertEquals(201, s.postEvent("[" + String.join(",", events) + "]").statusCode());
                posted += events.size();
            }
            long closeBy = System.currentTimeMillis() + 10_000;
            while (s.app().hub().slowClientsClosed() == 0 && System.currentTimeMillis() < closeBy) {
                Thread.sleep(100);
            }
            assertEquals(1, s.app().hub().slowClientsClosed(), "the stalled subscriber was closed after " + posted + " events");
            long goneBy = System.currentTimeMillis() + 5_000;
            while (s.app().hub().clientCount() > 1 && System.currentTimeMillis() < goneBy) {
                Thread.sleep(50);
            }
            assertEquals(1, s.app().hub().clientCount(), "its session is gone");

            good.awaitEvents(posted, 30_000);
            assertEquals(posted, good.seqs().size(), "the reading subscriber got every entry");
            assertTrue(good.socket.connected(), "and was not closed");
            List<String> counted = s.get("/metrics", null).body().lines()
                .filter(l -> l.startsWith("switchboard_socket_slow_clients_closed")).toList();
            assertEquals(List.of("switchboard_socket_slow_clients_closed_total 1.0"), counted, "counted in /metrics");
            stalled.ws.abort();
        }
    }
}
