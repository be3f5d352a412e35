package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw Engine.IO v4 websocket (java.net.http) that records every text frame the server sends,
 * for tests that speak the protocol by hand: junk frames, connections that never authenticate,
 * a client that stops reading.
 */
public final class RawSocket implements WebSocket.Listener {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final List<String> frames = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Predicate<String> lastRead = f -> false;
    private WebSocket ws;

    /** Opens a websocket transport to the Socket.io server on {@code port} of 127.0.0.1. */
    public static RawSocket open(int port) throws Exception {
        RawSocket r = new RawSocket();
        r.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), r)
            .get(10, TimeUnit.SECONDS);
        return r;
    }

    /** Opens a websocket transport to {@code server}'s Socket.io port. */
    public static RawSocket open(TestServer server) throws Exception {
        String url = server.socketUrl();
        return open(Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)));
    }

    /**
     * After the first frame that matches, the socket asks for no more: the server's frames pile up
     * in the TCP buffers as they would for a client that stopped reading.
     */
    public void stopReadingAfter(Predicate<String> frame) {
        lastRead = frame;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        String frame = null;
        if (last) {
            frame = partial.toString();
            frames.add(frame);
            partial.setLength(0);
        }
        if (frame == null || !lastRead.test(frame)) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
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

    /** Sends a text frame; false when the server already closed the connection. */
    public boolean send(String text) {
        try {
            ws.sendText(text, true).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public boolean sendBinary(byte[] bytes) {
        try {
            ws.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits up to {@code timeoutMs} for a frame that starts with {@code prefix}. */
    public boolean awaitFrame(String prefix, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (frames.stream().anyMatch(f -> f.startsWith(prefix))) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Frames that carry pushes: call events (one or a batch), alerts, metrics. */
    public long pushes() {
        return frames.stream().filter(f -> f.startsWith("42[\"call_event\"") || f.startsWith("42[\"call_events\"")
            || f.startsWith("42[\"alert\"") || f.startsWith("42[\"metrics\"")).count();
    }

    public void abort() {
        ws.abort();
    }
}
