package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A supervisor's Socket.io client (io.socket 2.1.2) that keeps what the exactly-once check needs:
 * every {@code call_event} seq in arrival order with its event and call id, how often each seq
 * arrived, and the highest seq seen (to resume from after a reconnect).
 */
final class Subscriber implements AutoCloseable {

    /** One push as received. */
    record Push(long seq, String eventId, String callId) {
    }

    final List<Push> pushes = new CopyOnWriteArrayList<>();
    final Map<Long, Integer> timesSeen = new ConcurrentHashMap<>();
    final AtomicLong lastSeq = new AtomicLong();
    /** Why the server side ended the connection ("transport close", "io server disconnect"), if it did. */
    final java.util.concurrent.atomic.AtomicReference<String> disconnectReason = new java.util.concurrent.atomic.AtomicReference<>();
    private final Socket socket;
    private final CountDownLatch connected = new CountDownLatch(1);
    private final CountDownLatch ready = new CountDownLatch(1);

    private Subscriber(String url) {
        IO.Options o = new IO.Options();
        o.forceNew = true;
        o.reconnection = false;
        o.transports = new String[] {"websocket"};
        o.auth = Map.of("token", TestServer.SUPERVISOR_KEY);
        socket = IO.socket(URI.create(url), o);
        socket.on(Socket.EVENT_CONNECT, a -> connected.countDown());
        socket.on(Socket.EVENT_DISCONNECT, a -> disconnectReason.compareAndSet(null, a.length > 0 ? String.valueOf(a[0]) : "?"));
        socket.on("subscribed", a -> ready.countDown());
        socket.on("resumed", a -> ready.countDown());
        socket.on("call_event", a -> {
            JSONObject p = (JSONObject) a[0];
            long seq = p.optLong("seq", -1);
            JSONObject e = p.optJSONObject("event");
            pushes.add(new Push(seq, e == null ? null : e.optString("id"), e == null ? null : e.optString("call_id")));
            timesSeen.merge(seq, 1, Integer::sum);
            lastSeq.accumulateAndGet(seq, Math::max);
        });
        socket.connect();
    }

    /** Connects and subscribes to everything, live from now. */
    static Subscriber subscribe(String url) throws InterruptedException {
        Subscriber s = new Subscriber(url);
        s.awaitConnect();
        s.socket.emit("subscribe", new JSONObject());
        s.awaitReady();
        return s;
    }

    /** Connects and resumes after {@code afterSeq}: the gap is replayed, then live. */
    static Subscriber resume(String url, long afterSeq) throws InterruptedException {
        Subscriber s = new Subscriber(url);
        s.awaitConnect();
        s.socket.emit("resume", new JSONObject(Map.of("after_seq", afterSeq)));
        s.awaitReady();
        return s;
    }

    private void awaitConnect() throws InterruptedException {
        if (!connected.await(15, TimeUnit.SECONDS)) {
            throw new AssertionError("Socket.io client did not connect");
        }
    }

    private void awaitReady() throws InterruptedException {
        if (!ready.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("Socket.io client not subscribed/resumed");
        }
    }

    /** Waits until a push with a seq of at least {@code seq} arrived (bounded). */
    boolean awaitSeq(long seq, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (lastSeq.get() < seq && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return lastSeq.get() >= seq;
    }

    @Override
    public void close() {
        socket.disconnect();
        socket.close();
    }
}
