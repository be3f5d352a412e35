package dev.switchboard.server;

import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber that stops reading (a laptop asleep with its connection open) must not make the
 * server buffer every push for it: after {@code SWITCHBOARD_SOCKET_WRITE_TIMEOUT} without taking
 * data it is closed, and the clients that do read keep getting everything.
 */
class SlowClientTest {

    @Test
    void aSubscriberThatStopsReadingIsClosedAndTheOthersGetEverything() throws Exception {
        try (TestServer s = TestServer.start(TestServer.Backend.H2,
                 Map.of("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "PT2S", "SWITCHBOARD_RATE_LIMIT", "0"));
             SocketClient good = SocketClient.withAuth(s, TestServer.SUPERVISOR_KEY)) {
            assertTrue(good.await("connect", 5_000));
            good.subscribe(new JSONObject(Map.of("batch", true)));
            // a raw Engine.IO client that authenticates, subscribes, then never asks for another frame
            RawSocket stalled = RawSocket.open(s);
            assertTrue(stalled.awaitFrame("0{", 5_000));
            stalled.send("40{\"token\":\"" + TestServer.SUPERVISOR_KEY + "\"}");
            assertTrue(stalled.awaitFrame("40{", 5_000));
            stalled.stopReadingAfter(f -> f.startsWith("42[\"subscribed\""));
            stalled.send("42[\"subscribe\",{}]");
            assertTrue(stalled.awaitFrame("42[\"subscribed\"", 5_000));
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
            stalled.abort();
        }
    }
}
