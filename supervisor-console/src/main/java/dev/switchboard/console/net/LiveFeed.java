package dev.switchboard.console.net;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.console.state.CenterState;
import dev.switchboard.console.state.ConnectionState;
import dev.switchboard.console.wire.Alert;
import dev.switchboard.console.wire.AlertResolution;
import dev.switchboard.console.wire.Call;
import dev.switchboard.console.wire.CallEvent;
import dev.switchboard.console.wire.Json;
import dev.switchboard.console.wire.Metrics;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.emitter.Emitter;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Socket.io half of the wire contract. Frames arrive on socket.io-client's event thread; each
 * is parsed there and handed to the {@link CenterState} on the UI executor
 * ({@code Platform::runLater}), which applies it. The feed keeps no call state of its own.
 *
 * <p><b>Protocol.</b> The key goes in the handshake ({@code auth: {token}}). On the first
 * connection the feed sends {@code subscribe {}} and, once {@code subscribed} answers, asks its
 * owner to load the REST snapshot. socket.io-client reconnects by itself (backoff from
 * {@link #RECONNECT_DELAY_MS} to {@link #RECONNECT_DELAY_MAX_MS}); on every later connection the
 * feed sends {@code resume {after_seq}} from {@link CenterState#resumeAfter()}, so nothing is
 * missed and nothing is applied twice.
 *
 * <p><b>Websocket only.</b> The feed opens the websocket transport straight away, never HTTP
 * long-polling: one TCP connection carries the whole session, so a load balancer in front of
 * several cluster nodes needs no sticky sessions (a polling session's requests must all reach the
 * node that holds it). Every node pushes the same entries in the same seq order, so a reconnect
 * that lands on another node resumes just as well.
 */
public final class LiveFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());

    /** First reconnection delay; short because a supervisor notices a frozen board within seconds. */
    public static final long RECONNECT_DELAY_MS = 500;
    /** Longest delay between reconnection attempts (a server down for long is retried every 5 s). */
    public static final long RECONNECT_DELAY_MAX_MS = 5_000;

    /** Frames the console sends: the first subscription, and resumes after a reconnect. */
    public static final String SUBSCRIBE = "subscribe";
    public static final String RESUME = "resume";

    private final URI uri;
    private final String key;
    private final CenterState state;
    private final Executor ui;
    private final Runnable onSubscribed;
    private final LongConsumer onLogBehind;
    private final AtomicBoolean subscribedOnce = new AtomicBoolean();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile boolean closed;
    private Socket socket;

    /**
     * @param onSubscribed  run on the UI executor after the first {@code subscribed} (load the snapshot)
     * @param onLogBehind   run on the UI executor with the server's {@code to_seq} when a resume found
     *                      the server's log behind the console's (a restart, or a new database)
     */
    public LiveFeed(URI uri, String key, CenterState state, Executor ui, Runnable onSubscribed,
                    LongConsumer onLogBehind) {
        this.uri = uri;
        this.key = key;
        this.state = state;
        this.ui = ui;
        this.onSubscribed = onSubscribed;
        this.onLogBehind = onLogBehind;
    }

    public void start() {
        socket = IO.socket(uri, options(key));
        socket.on(Socket.EVENT_CONNECT, args -> onConnect());
        socket.on(Socket.EVENT_DISCONNECT, args -> onDisconnect(args.length > 0 ? String.valueOf(args[0]) : ""));
        socket.on(Socket.EVENT_CONNECT_ERROR, this::onConnectError);
        socket.io().on(Manager.EVENT_RECONNECT_ATTEMPT, args -> {
            int n = attempts.incrementAndGet();
            ui.execute(() -> state.setConnection(ConnectionState.RECONNECTING, "attempt " + n));
        });
        on("subscribed", p -> {
            long seq = p.path("seq").asLong();
            boolean first = subscribedOnce.compareAndSet(false, true);
            ui.execute(() -> {
                state.applySubscribed(seq);
                if (first) {
                    onSubscribed.run();
                }
            });
        });
        on("resumed", p -> {
            long after = p.path("after_seq").asLong();
            long to = p.path("to_seq").asLong();
            int replayed = p.path("replayed").asInt();
            ui.execute(() -> {
                state.setConnection(ConnectionState.LIVE, replayed == 0 ? "resumed, nothing missed"
                    : "resumed, " + replayed + " missed update" + (replayed == 1 ? "" : "s") + " replayed");
                if (state.applyResumed(after, to)) {
                    onLogBehind.accept(to);
                }
            });
        });
        on("call_event", p -> ui.execute(callEvent(p)));
        on("call_events", list -> {
            List<Runnable> updates = new ArrayList<>(list.size());
            for (JsonNode p : list) {
                updates.add(callEvent(p));
            }
            ui.execute(() -> updates.forEach(Runnable::run));   // in seq order, one trip to the UI thread
        });
        on("alert", p -> {
            Alert a = Alert.fromJson(p);
            ui.execute(() -> state.applyAlert(a));
        });
        on("alert_acked", p -> {
            Alert a = Alert.fromJson(p.has("alert") && p.get("alert").isObject() ? p.get("alert") : p);
            ui.execute(() -> state.applyAlertAckedPush(a));
        });
        on("alert_resolved", p -> {
            AlertResolution r = AlertResolution.fromJson(p);
            ui.execute(() -> state.applyAlertResolved(r));
        });
        on("agent_event", p -> {
            long seq = p.path("seq").asLong();
            CallEvent event = CallEvent.fromJson(p.path("event"));
            ui.execute(() -> state.applyAgentEvent(seq, event));
        });
        // a push of any other name has no listener and is ignored: a newer server cannot break the feed
        on("metrics", p -> {
            Metrics m = Metrics.fromJson(p);
            ui.execute(() -> state.applyMetrics(m));
        });
        on("error", p -> {
            String message = p.path("message").asText("error");
            ui.execute(() -> state.notice("Server: " + message));
        });
        ui.execute(() -> state.setConnection(ConnectionState.CONNECTING, uri.toString()));
        socket.connect();
    }

    /** socket.io-client's options: the key in the handshake, our reconnection backoff, websocket only. */
    static IO.Options options(String key) {
        return IO.Options.builder()
            .setAuth(Map.of("token", key))
            .setReconnection(true)
            .setReconnectionDelay(RECONNECT_DELAY_MS)
            .setReconnectionDelayMax(RECONNECT_DELAY_MAX_MS)
            .setRandomizationFactor(0.3)
            .setTimeout(10_000)
            .setTransports(new String[] {WebSocket.NAME})
            .setForceNew(true)
            .build();
    }

    /** A {@code call_event {seq, event, call}} payload, parsed here, applied when run (on the UI thread). */
    private Runnable callEvent(JsonNode p) {
        long seq = p.path("seq").asLong();
        CallEvent event = CallEvent.fromJson(p.path("event"));
        Call call = Call.fromJson(p.path("call"));
        return () -> state.applyCallEvent(seq, event, call);
    }

    /** The frame to send on a connection: subscribe the first time, resume after that. */
    static Frame greeting(boolean subscribedBefore, long resumeAfter) {
        // batch: runs of call events come as one call_events array (fewer frames when the center is busy)
        return subscribedBefore ? new Frame(RESUME, Map.of("after_seq", resumeAfter, "batch", true))
            : new Frame(SUBSCRIBE, Map.of("batch", true));
    }

    /** A frame the console sends. */
    record Frame(String event, Map<String, Object> payload) {
    }

    private void onConnect() {
        attempts.set(0);
        Frame hello = greeting(subscribedOnce.get(), state.resumeAfter());
        socket.emit(hello.event(), new JSONObject(hello.payload()));
        ui.execute(() -> state.setConnection(ConnectionState.LIVE, ""));
    }

    private void onDisconnect(String reason) {
        if (closed) {
            return;
        }
        ui.execute(() -> state.setConnection(ConnectionState.RECONNECTING, reason));
        if ("io server disconnect".equals(reason)) {
            // socket.io-client leaves a server-side disconnect alone; a supervisor's board must come back
            socket.connect();
        }
    }

    private void onConnectError(Object... args) {
        String message = describe(args);
        // A refused handshake (bad key) is final: socket.io-client does not retry it, and neither do we.
        boolean refused = message.contains("unauthorized");
        ui.execute(() -> state.setConnection(refused ? ConnectionState.OFFLINE : ConnectionState.RECONNECTING, message));
    }

    private static String describe(Object[] args) {
        if (args.length == 0 || args[0] == null) {
            return "cannot connect";
        }
        Object a = args[0];
        if (a instanceof JSONObject o) {
            return o.optString("message", o.toString());
        }
        if (a instanceof Throwable t) {
            return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        }
        return a.toString();
    }

    /** Listens for a server event whose payload is a JSON object, parsed off the UI thread. */
    private void on(String event, Consumer<JsonNode> handler) {
        socket.on(event, (Emitter.Listener) args -> {
            try {
                Object payload = args.length > 0 ? args[0] : null;
                handler.accept(payload == null ? Json.object() : Json.parse(payload.toString()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot read the server's " + event + " frame", e);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        if (socket != null) {
            socket.off();
            socket.io().off();
            socket.disconnect();
            socket.close();
        }
    }
}
