package dev.switchboard.console.net;

import io.socket.engineio.client.transports.WebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LiveFeedTest {

    @Test
    void theFirstConnectionSubscribesAndEveryLaterOneResumesFromTheStatesPoint() {
        assertEquals(new LiveFeed.Frame("subscribe", Map.of("batch", true)), LiveFeed.greeting(false, 0));
        assertEquals(new LiveFeed.Frame("resume", Map.of("after_seq", 41L, "batch", true)), LiveFeed.greeting(true, 41));
    }

    @Test
    void theFeedUsesTheWebsocketTransportOnlySoALoadBalancerNeedsNoStickySessions() {
        assertArrayEquals(new String[] {WebSocket.NAME}, LiveFeed.options("k").transports);
    }

    @Test
    void aTypedServerAddressIsNormalised() {
        assertEquals(URI.create("http://127.0.0.1:8080"), ServerApi.parseServerUrl(" 127.0.0.1:8080/ "));
        assertEquals(URI.create("https://sb.example:8443"), ServerApi.parseServerUrl("https://sb.example:8443"));
        assertThrows(IllegalArgumentException.class, () -> ServerApi.parseServerUrl(""));
        assertThrows(IllegalArgumentException.class, () -> ServerApi.parseServerUrl("ftp://host"));
    }

    @Test
    void aProblemReplyReadsAsItsDetail() {
        assertEquals("transition not allowed: call is ended",
            ServerApi.problemDetail(409, "{\"status\":409,\"detail\":\"transition not allowed: call is ended\"}"));
        assertEquals("the key is not valid for this server", ServerApi.problemDetail(401, "<html>"));
    }
}
