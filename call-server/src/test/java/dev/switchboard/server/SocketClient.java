package dev.switchboard.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONArray;
import org.json.JSONObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real Socket.io v4 client (io.socket 2.1.2) that records what it receives. */
public final class SocketClient implements AutoCloseable {

    public final Socket socket;
    public final List<JSONObject> callEvents = new CopyOnWriteArrayList<>();
    public final List<JSONObject> alerts = new CopyOnWriteArrayList<>();
    /** {@code alert_acked} payloads. */
    public final List<JSONObject> acks = new CopyOnWriteArrayList<>();
    /** {@code agent_event} payloads. */
    public final List<JSONObject> agentEvents = new CopyOnWriteArrayList<>();
    /** {@code alert_resolved} pushes. */
    public final List<JSONObject> resolutions = new CopyOnWriteArrayList<>();
    public final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
    public final List<Object> errors = new CopyOnWriteArrayList<>();
    /** What arrived, in order: {@code call_event:<seq>} (also for each item of a call_events array) or {@code alert:<seq>}. */
    public final List<String> arrivals = new CopyOnWriteArrayList<>();
    /** How many {@code call_events} messages (batches) arrived. */
    public final AtomicInteger batches = new AtomicInteger();

    private SocketClient(String url, Map<String, String> auth, String query) {
        IO.Options o = new IO.Options();
        o.forceNew = true;
        o.reconnection = false;
        o.transports = new String[] {"websocket"};
        if (auth != null) {
            o.auth = auth;
        }
        if (query != null) {
            o.query = query;
        }
        socket = IO.socket(URI.create(url), o);
        socket.on(Socket.EVENT_CONNECT, a -> signals.add("connect"));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> {
            errors.add(a.length > 0 ? a[0] : null);
            signals.add("connect_error");
        });
        socket.on(Socket.EVENT_DISCONNECT, a -> signals.add("disconnect"));
        socket.on("call_event", a -> callEvent((JSONObject) a[0]));
        socket.on("call_events", a -> {
            batches.incrementAndGet();
            JSONArray list = (JSONArray) a[0];
            for (int i = 0; i < list.length(); i++) {
                callEvent(list.optJSONObject(i));
            }
        });
        socket.on("alert", a -> {
            JSONObject alert = (JSONObject) a[0];
            arrivals.add("alert:" + alert.optLong("seq", -1));
            alerts.add(alert);
        });
        socket.on("alert_acked", a -> {
            JSONObject ack = (JSONObject) a[0];
            arrivals.add("alert_acked:" + ack.optLong("ack_seq", -1));
            acks.add(ack);
        });
        socket.on("alert_resolved", a -> {
            JSONObject r = (JSONObject) a[0];
            arrivals.add("alert_resolved:" + r.optLong("seq", -1));
            resolutions.add(r);
        });
        socket.on("agent_event", a -> {
            JSONObject e = (JSONObject) a[0];
            arrivals.add("agent_event:" + e.optLong("seq", -1));
            agentEvents.add(e);
        });
        socket.on("subscribed", a -> signals.add("subscribed"));
        socket.on("resumed", a -> signals.add("resumed"));
        socket.on("error", a -> {
            errors.add(a.length > 0 ? a[0] : null);
            signals.add("error");
        });
        socket.connect();
    }

    private void callEvent(JSONObject push) {
        arrivals.add("call_event:" + push.optLong("seq", -1));
        callEvents.add(push);
    }

    public static SocketClient withAuth(TestServer server, String key) {
        return new SocketClient(server.socketUrl(), key == null ? null : Map.of("token", key), null);
    }

    public static SocketClient withQueryToken(TestServer server, String key) {
        return new SocketClient(server.socketUrl(), null, "token=" + key);
    }

    /** Waits for a signal ({@code connect}, {@code subscribed}, ...), skipping others. */
    public boolean await(String signal, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            String s = signals.poll(end - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (signal.equals(s)) {
                return true;
            }
        }
        return false;
    }

    public SocketClient subscribe(JSONObject filter) throws InterruptedException {
        socket.emit("subscribe", filter == null ? new JSONObject() : filter);
        if (!await("subscribed", 5_000)) {
            throw new AssertionError("not subscribed; errors " + errors);
        }
        return this;
    }

    public SocketClient resume(long afterSeq) throws InterruptedException {
        return resume(new JSONObject(Map.of("after_seq", afterSeq)));
    }

    /** Resumes with a request of one's own ({@code {after_seq, batch?}}). */
    public SocketClient resume(JSONObject request) throws InterruptedException {
        socket.emit("resume", request);
        if (!await("resumed", 10_000)) {
            throw new AssertionError("not resumed; errors " + errors);
        }
        return this;
    }

    public List<Long> seqs() {
        List<Long> out = new ArrayList<>();
        for (JSONObject e : callEvents) {
            out.add(e.optLong("seq", -1));
        }
        return out;
    }

    /** Waits until at least {@code n} call events arrived. */
    public void awaitEvents(int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (callEvents.size() < n && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
        if (callEvents.size() < n) {
            throw new AssertionError("expected " + n + " call events, got " + callEvents.size() + ": " + seqs());
        }
    }

    @Override
    public void close() {
        socket.disconnect();
        socket.close();
    }
}
