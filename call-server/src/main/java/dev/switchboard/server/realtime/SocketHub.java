package dev.switchboard.server.realtime;

import com.corundumstudio.socketio.AuthTokenResult;
import com.corundumstudio.socketio.AuthorizationResult;
import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketConfig;
import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.SocketIOServer;
import com.corundumstudio.socketio.namespace.Namespace;
import com.corundumstudio.socketio.transport.NamespaceClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.server.config.ApiKey;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.store.LogReader;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.store.StoredEvent;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.Wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Socket.io for supervisors (netty-socketio on its own port, default namespace).
 *
 * <p><b>Auth.</b> A supervisor or admin key, or a named supervisor's session token
 * ({@code sbs_…}, from {@code POST /api/session}), as the v4 handshake {@code auth: {token}} or as
 * {@code ?token=}. A session is checked when the socket connects, and again every
 * {@link #SESSION_RECHECK_MS}: a session that ended (signed out on any node, expired, the account
 * disabled or its password reset) gets an {@code error} and its socket closes; a sign-out on this
 * node closes its sockets at once ({@link #sessionEnded}). netty-socketio opens a default-namespace connection before the v4 {@code auth}
 * arrives, so a connection starts <em>pending</em>: it receives nothing until its token checks
 * out, and it is disconnected if no valid token arrives within {@link #AUTH_GRACE_MS}. A v4
 * {@code CONNECT} without any {@code auth} reaches the token listener as {@code {}}
 * ({@link BareConnect}): it gets {@code connect_error}, never {@code connect}, unless its
 * handshake's {@code ?token=} was valid.
 *
 * <p><b>Exactly once, in order.</b> Each session remembers the last position it was sent
 * ({@code seq * 2}, {@code + 1} for the alert of that seq): pushes arrive from the single
 * broadcaster thread in seq order and a session never gets a position twice. {@code resume
 * {after_seq}} replays the audit log from the database up to what the session has been offered,
 * while newer live pushes wait in the session's buffer; then the buffer is flushed: no gap, no
 * duplicate.
 */
public final class SocketHub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SocketHub.class.getName());

    /** How long a connection may stay without a valid token. */
    public static final long AUTH_GRACE_MS = 3_000;
    /**
     * How often the sockets of named supervisors are checked against their sessions: a session
     * signed out on another node, expired, or ended by an admin (disable, password reset) loses its
     * socket within this. A sign-out on this node closes its sockets at once.
     */
    public static final long SESSION_RECHECK_MS = 5_000;
    /** Rows per database page during a resume. */
    private static final int RESUME_PAGE = 1_000;
    /** Most queues one subscription may name. */
    private static final int MAX_SUBSCRIBED_QUEUES = 200;
    /** Most call events in one {@code call_events} message. */
    static final int MAX_BATCH = 256;
    /** Most pushes the broadcaster offers at once (commits queued while it was busy go together). */
    private static final int MAX_OFFER = 4_096;
    /** The batched form of {@code call_event}: an array of call_event payloads, in seq order. */
    public static final String CALL_EVENTS = "call_events";

    private final ServerConfig config;
    private final OriginPolicy origins;
    private final Store store;
    private final LogReader log;
    private final Supplier<ObjectNode> metrics;
    private final java.util.function.Predicate<String> knownQueues;
    private final java.util.function.Function<String, Optional<ApiKey.Role>> sessionRole;
    private final Map<UUID, Session> sessions = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<List<Push>> outbox = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-socket-timers");
        t.setDaemon(true);
        return t;
    });
    /** Guards session registration against a batch being offered (no session misses half a batch). */
    private final Object registry = new Object();
    /** The highest position offered to the sessions so far. */
    private long publishedPos;
    private SocketIOServer server;
    private final WriteGuard writeGuard;
    private Thread broadcaster;
    private volatile boolean running = true;

    /**
     * @param sessionRole the role of a named supervisor's session token, while the session is open
     *                    (see {@code users.Accounts}); empty for anything else
     */
    public SocketHub(ServerConfig config, Store store, java.util.function.Predicate<String> knownQueues,
                     Supplier<ObjectNode> metrics, java.util.function.Function<String, Optional<ApiKey.Role>> sessionRole) {
        this.sessionRole = sessionRole;
        this.config = config;
        this.store = store;
        this.log = new LogReader(store);
        this.knownQueues = knownQueues;
        this.metrics = metrics;
        this.writeGuard = new WriteGuard(config.socketWriteTimeout());
        this.origins = new OriginPolicy(config.corsOrigins(), config.httpPort());
    }

    /** Which browser origins may open Socket.io (also asked by {@code GET /api/info}). */
    public OriginPolicy origins() {
        return origins;
    }

    /** One connected client. */
    private static final class Session {
        final SocketIOClient client;
        final ReentrantLock lock = new ReentrantLock();
        volatile ApiKey.Role role;
        /** The named supervisor's session token it was authorized with; {@code null} for an API key. */
        volatile String sessionToken;
        boolean subscribed;
        /** Runs of call events go out as one {@code call_events} message (asked for in subscribe/resume). */
        boolean batch;
        Set<String> queues;
        long offeredPos;
        long sentPos;
        boolean replaying;
        final List<Push> buffer = new ArrayList<>();

        Session(SocketIOClient client) {
            this.client = client;
        }

        boolean authed() {
            return role != null;
        }
    }

    /**
     * Starts the Socket.io server.
     *
     * @param lastSeq the last seq already committed (after a restart): sessions can resume up to it
     */
    public void start(long lastSeq) {
        publishedPos = lastSeq * 2 + 1;
        Configuration c = new Configuration();
        c.setHostname(config.host());
        c.setPort(config.socketPort());
        SocketConfig sc = new SocketConfig();
        sc.setReuseAddress(true);
        c.setSocketConfig(sc);
        // no fixed origin: netty-socketio then answers Access-Control-Allow-Origin with the request's
        // own Origin, which is right for every page the handshake below accepts (one fixed value
        // could not be: under the default policy the dashboard's origin depends on the name it was
        // opened by); a refused handshake gets a bare 401 with no CORS header at all
        c.setOrigin(null);
        c.setMaxFramePayloadLength(64 * 1024);
        // permessage-deflate costs a deflate per message per client: off unless asked for
        c.setWebsocketCompression(config.socketCompression());
        c.setHttpCompression(config.socketCompression());
        c.setMaxHttpContentLength(64 * 1024);
        c.setAuthorizationListener(data -> {
            String origin = data.getHttpHeaders().get("Origin");
            String host = data.getHttpHeaders().get("Host");
            if (!origins.allows(origin, host)) {
                origins.logRefused(origin, host);
                return AuthorizationResult.FAILED_AUTHORIZATION;
            }
            String token = data.getSingleUrlParam("token");
            if (token == null) {
                return AuthorizationResult.SUCCESSFUL_AUTHORIZATION;   // the v4 auth payload decides
            }
            return supervisorRole(token)
                .map(role -> new AuthorizationResult(true, Map.of("role", role.name())))
                .orElse(AuthorizationResult.FAILED_AUTHORIZATION);
        });
        server = new SocketIOServer(c);
        server.setPipelineFactory(writeGuard);
        server.addConnectListener(client -> {
            Session s = new Session(client);
            Object role = client.get("role");
            if (role != null) {
                s.role = ApiKey.Role.valueOf(role.toString());
                s.sessionToken = sessionTokenOf(client.getHandshakeData().getSingleUrlParam("token"));
            }
            synchronized (registry) {
                s.offeredPos = publishedPos;
                sessions.put(client.getSessionId(), s);
            }
            if (!s.authed()) {
                scheduler.schedule(() -> {
                    if (!s.authed()) {
                        client.sendEvent("error", Map.of("message", "unauthorized: a supervisor or admin key is required"));
                        drop(client);
                    }
                }, AUTH_GRACE_MS, TimeUnit.MILLISECONDS);
            }
        });
        server.getNamespace(Namespace.DEFAULT_NAME).addAuthTokenListener((auth, client) -> {
            Session s = sessions.get(client.getSessionId());
            Object token = auth instanceof Map<?, ?> m ? m.get("token") : null;
            Optional<ApiKey.Role> role = token instanceof String t ? supervisorRole(t) : Optional.empty();
            if (role.isPresent() && s != null) {
                s.sessionToken = sessionTokenOf((String) token);
                s.role = role.get();
                return AuthTokenResult.AuthTokenResultSuccess;
            }
            if (s != null && s.authed()) {
                return AuthTokenResult.AuthTokenResultSuccess;   // already authorized by ?token=
            }
            scheduler.schedule(() -> drop(client), 100, TimeUnit.MILLISECONDS);
            return new AuthTokenResult(false, Map.of("message", "unauthorized: a supervisor or admin key is required"));
        });
        server.addDisconnectListener(client -> sessions.remove(client.getSessionId()));
        server.addEventListener("subscribe", Object.class, (client, data, ack) -> subscribe(client, data));
        server.addEventListener("resume", Object.class, (client, data, ack) -> resume(client, data));
        server.start();
        broadcaster = Thread.ofPlatform().name("switchboard-broadcaster").daemon().start(this::broadcastLoop);
        scheduler.scheduleAtFixedRate(this::pushMetrics, 1, 1, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(this::recheckSessions, SESSION_RECHECK_MS, SESSION_RECHECK_MS,
            TimeUnit.MILLISECONDS);
    }

    private static String sessionTokenOf(String token) {
        return token != null && token.startsWith(dev.switchboard.server.users.Accounts.TOKEN_PREFIX) ? token : null;
    }

    /** Closes the sockets of a session that was just signed out here (other nodes find out by their recheck). */
    public void sessionEnded(String token) {
        if (token == null) {
            return;
        }
        for (Session s : sessions.values()) {
            if (token.equals(s.sessionToken)) {
                signedOut(s);
            }
        }
    }

    /** Closes every socket whose session is no longer open (one check per distinct token). */
    private void recheckSessions() {
        try {
            Map<String, Boolean> open = new java.util.HashMap<>();
            for (Session s : sessions.values()) {
                String token = s.sessionToken;
                if (token != null && !open.computeIfAbsent(token, t -> sessionRole.apply(t).isPresent())) {
                    signedOut(s);
                }
            }
        } catch (RuntimeException e) {
            // the database may be away for a moment: sockets stay until a check can answer
            LOG.log(java.util.logging.Level.FINE, "session recheck failed; will retry", e);
        }
    }

    private void signedOut(Session s) {
        s.role = null;
        s.sessionToken = null;
        s.client.sendEvent("error", Map.of("message", "unauthorized: the session has ended (signed out, expired, or "
            + "the account was disabled or its password reset); sign in again"));
        scheduler.schedule(() -> drop(s.client), 100, TimeUnit.MILLISECONDS);
    }

    /** The role of a supervisor or admin key, or of a named supervisor's open session. */
    private Optional<ApiKey.Role> supervisorRole(String token) {
        if (token.startsWith(dev.switchboard.server.users.Accounts.TOKEN_PREFIX)) {
            return sessionRole.apply(token).filter(ApiKey.Role::canSupervise);
        }
        ApiKey.Role found = null;
        for (ApiKey k : config.apiKeys()) {   // every key is compared: no early exit
            if (k.matches(token)) {
                found = k.role();
            }
        }
        return found != null && found.canSupervise() ? Optional.of(found) : Optional.empty();
    }

    private Session authedSession(SocketIOClient client) {
        Session s = sessions.get(client.getSessionId());
        if (s == null || !s.authed()) {
            client.sendEvent("error", Map.of("message", "unauthorized"));
            drop(client);
            return null;
        }
        return s;
    }

    /**
     * Closes the whole connection. {@code SocketIOClient.disconnect()} leaves the namespace only:
     * the engine.io transport would stay open until its ping timeout, for ever if the client
     * answers pings and connects to the namespace again.
     */
    private static void drop(SocketIOClient client) {
        if (client instanceof NamespaceClient nc) {
            nc.getBaseClient().disconnect();
        } else {
            client.disconnect();
        }
    }

    private void subscribe(SocketIOClient client, Object data) {
        Session s = authedSession(client);
        if (s == null) {
            return;
        }
        Boolean batch = batchOption(client, data, "subscribe");
        if (batch == null) {
            return;
        }
        Set<String> queues = null;
        if (data instanceof Map<?, ?> m && m.get("queues") instanceof Collection<?> list) {
            if (list.size() > MAX_SUBSCRIBED_QUEUES) {
                client.sendEvent("error", Map.of("message", "subscribe: at most " + MAX_SUBSCRIBED_QUEUES + " queues"));
                return;
            }
            queues = new HashSet<>();
            List<String> unknown = new ArrayList<>();
            for (Object q : list) {
                if (q instanceof String name && knownQueues.test(name)) {
                    queues.add(name);
                } else {
                    unknown.add(String.valueOf(q));
                }
            }
            if (!unknown.isEmpty()) {
                client.sendEvent("error", Map.of("message", "subscribe: unknown queues " + unknown));
                return;
            }
        } else if (data != null && !(data instanceof Map<?, ?>)) {
            client.sendEvent("error", Map.of("message", "subscribe: expected {queues?: [..]}"));
            return;
        }
        s.lock.lock();
        try {
            s.queues = queues;
            s.batch = batch;
            if (!s.subscribed) {
                s.subscribed = true;
                s.sentPos = Math.max(s.sentPos, s.offeredPos);   // live from here on
            }
            client.sendEvent("subscribed", Map.of("queues", queues == null ? List.of() : List.copyOf(queues),
                "seq", s.offeredPos / 2, "batch", batch));
        } finally {
            s.lock.unlock();
        }
    }

    private void resume(SocketIOClient client, Object data) {
        Session s = authedSession(client);
        if (s == null) {
            return;
        }
        long afterSeq;
        if (data instanceof Map<?, ?> m && m.get("after_seq") instanceof Number n && n.doubleValue() >= 0
            && n.doubleValue() <= Long.MAX_VALUE / 4 && n.doubleValue() == Math.floor(n.doubleValue())) {
            afterSeq = n.longValue();
        } else {
            client.sendEvent("error", Map.of("message", "resume: expected {after_seq: <a seq of a push, 0 for all>}"));
            return;
        }
        Boolean batch = batchOption(client, data, "resume");
        if (batch == null) {
            return;
        }
        // an after_seq this node has not applied yet but the log has (a cluster follower that lags
        // behind the node the client came from): nothing up to it goes out again, and the entries
        // after it come live as this node catches up. One beyond the whole log is from another
        // database: the session goes on live from here, as it always did.
        long logMax;
        try {
            logMax = store.maxSeq();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "resume failed", e);
            client.sendEvent("error", Map.of("message", "resume failed: storage unavailable; try again"));
            return;
        }
        long upTo;
        s.lock.lock();
        try {
            s.batch = batch;
            s.subscribed = true;
            s.replaying = true;
            s.buffer.clear();
            boolean ahead = afterSeq > s.offeredPos / 2 && afterSeq <= logMax;
            s.sentPos = ahead ? afterSeq * 2 + 1 : Math.min(s.sentPos, afterSeq * 2 + 1);
            upTo = ahead ? afterSeq : s.offeredPos / 2;
        } finally {
            s.lock.unlock();
        }
        int replayed = 0;
        try {
            long from = afterSeq;
            while (from < upTo) {
                List<LogReader.Entry> rows = log.after(from, upTo, RESUME_PAGE);
                if (rows.isEmpty()) {
                    break;
                }
                List<Push> page = new ArrayList<>(rows.size() + 16);
                for (LogReader.Entry row : rows) {
                    page.addAll(pushesOf(row));
                    from = row.row().seq();
                }
                s.lock.lock();
                try {
                    replayed += deliver(s, page, new String[page.size()], null);
                } finally {
                    s.lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "resume failed", e);
            client.sendEvent("error", Map.of("message", "resume failed: storage unavailable; try again"));
        } finally {
            s.lock.lock();
            try {
                deliver(s, s.buffer, new String[s.buffer.size()], null);
                s.buffer.clear();
                s.replaying = false;
            } finally {
                s.lock.unlock();
            }
        }
        client.sendEvent("resumed", Map.of("after_seq", afterSeq, "to_seq", upTo, "replayed", replayed));
    }

    /**
     * The pushes a stored entry makes, as they were pushed live: its {@code call_event} (with the
     * call as of its decision), the alert of an {@code alert_raised}, the alert of an
     * {@code alert_acked}, the resolution of an {@code alert_resolved}; an {@code agent_event} for an
     * entry about no call.
     */
    public List<Push> pushesOf(LogReader.Entry entry) {
        StoredEvent row = entry.row();
        com.fasterxml.jackson.databind.node.ObjectNode event = Wire.event(row.id(), row.callId(), row.type(), row.tsMs(),
            entry.metadata(), row.seq());
        if (row.callId() == null) {
            return List.of(Push.agentEvent(row.seq(), event));
        }
        if (History.ALERT_ACKED.equals(row.type())) {
            String alertId = entry.metadata().path("alert_id").asText();
            return store.alert(alertId)
                .map(a -> Push.alertAcked(row.seq(), event, entry.call(), Wire.alertAcked(a,
                    a.ackedAtMs() != null ? a.ackedAtMs() : row.tsMs(), entry.metadata().path("by").asText(null),
                    entry.metadata().path("note").asText(null), row.seq())))
                .orElseGet(() -> entry.call() == null ? List.of() : List.of(Push.callEvent(row.seq(), event, Wire.call(entry.call()), null)));
        }
        List<Push> out = new ArrayList<>(2);
        Push callEvent = Push.callEvent(row.seq(), event, Wire.call(entry.call()), null);
        out.add(callEvent);
        if (History.ALERT_RAISED.equals(row.type())) {
            History.alertOf(row.callId(), row.tsMs(), entry.metadata()).ifPresent(a ->
                out.add(new Push(row.seq(), Push.ALERT, Wire.alert(a, row.seq(), null), callEvent.queueId(), null)));
        } else if (History.ALERT_RESOLVED.equals(row.type())) {
            out.add(Push.alertResolved(row.seq(), Wire.alertResolved(row.callId(), row.tsMs(), entry.metadata(), row.seq()),
                callEvent.queueId()));
        }
        return out;
    }

    /**
     * The {@code batch} option of subscribe/resume: absent or false for one message per push,
     * true for {@code call_events} arrays. Answers {@code null} (after telling the client) when
     * it is not a boolean.
     */
    private static Boolean batchOption(SocketIOClient client, Object data, String request) {
        Object batch = data instanceof Map<?, ?> m ? m.get("batch") : null;
        if (batch == null || batch instanceof Boolean) {
            return Boolean.TRUE.equals(batch);
        }
        client.sendEvent("error", Map.of("message", request + ": batch must be true or false"));
        return null;
    }

    /**
     * Sends the session, in order, each of {@code pushes} it has not had yet and that concerns
     * its queues; the caller holds the session lock. A batch session gets each run of call
     * events between two alerts as one {@code call_events} message (at most {@link #MAX_BATCH}).
     *
     * @param encoded the pushes' payloads serialized, shared by all sessions: filled on first use
     * @param runs    the {@code call_events} arrays already built for other sessions, by index
     *                range, or {@code null} not to share them
     * @return how many pushes were sent
     */
    private static int deliver(Session s, List<Push> pushes, String[] encoded, Map<Long, RawValue> runs) {
        int sent = 0;
        List<Integer> run = new ArrayList<>();
        for (int i = 0; i < pushes.size(); i++) {
            Push p = pushes.get(i);
            long pos = p.position();
            if (pos <= s.sentPos) {
                continue;
            }
            s.sentPos = pos;
            if (!p.concerns(s.queues)) {
                continue;
            }
            if (encoded[i] == null) {
                encoded[i] = Wire.write(p.payload());
            }
            sent++;
            if (s.batch && Push.CALL_EVENT.equals(p.event())) {
                run.add(i);
                if (run.size() == MAX_BATCH) {
                    sendRun(s, run, encoded, runs);
                }
            } else {
                sendRun(s, run, encoded, runs);
                s.client.sendEvent(p.event(), new RawValue(encoded[i]));
            }
        }
        sendRun(s, run, encoded, runs);
        return sent;
    }

    /** Sends the call events at {@code run}'s indexes as one {@code call_events} array, then empties it. */
    private static void sendRun(Session s, List<Integer> run, String[] encoded, Map<Long, RawValue> runs) {
        if (run.isEmpty()) {
            return;
        }
        int first = run.get(0);
        int last = run.get(run.size() - 1);
        // a run is the same for every session that had all pushes from first to last
        Long key = runs != null && last - first + 1 == run.size() ? ((long) first << 32) | last : null;
        RawValue array = key != null ? runs.get(key) : null;
        if (array == null) {
            StringBuilder json = new StringBuilder(run.size() * (encoded[first].length() + 1) + 2).append('[');
            for (int k = 0; k < run.size(); k++) {
                json.append(k == 0 ? "" : ",").append(encoded[run.get(k)]);
            }
            array = new RawValue(json.append(']').toString());
            if (key != null) {
                runs.put(key, array);
            }
        }
        s.client.sendEvent(CALL_EVENTS, array);
        run.clear();
    }

    /** Serializes once; netty-socketio then copies the bytes into each client's frame. */
    private static RawValue encode(ObjectNode payload) {
        return new RawValue(Wire.write(payload));
    }

    /** Called by the writer after each commit, in seq order. */
    public void publish(List<Push> pushes) {
        if (!pushes.isEmpty()) {
            outbox.add(pushes);
        }
    }

    private void broadcastLoop() {
        while (running) {
            try {
                List<Push> first = outbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Push> pushes = first;
                // what was committed while the last offer went out goes in one offer: fewer, fuller messages
                while (pushes.size() < MAX_OFFER && !outbox.isEmpty()) {
                    if (pushes == first) {
                        pushes = new ArrayList<>(first);
                    }
                    pushes.addAll(outbox.poll());
                }
                long t0 = System.nanoTime();
                synchronized (registry) {
                    offer(pushes);
                }
                lastOfferNanos = System.nanoTime() - t0;
                queuedBatches = outbox.size();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "broadcast failed", e);
            }
        }
    }

    private void offer(List<Push> pushes) {
        for (Push p : pushes) {
            publishedPos = Math.max(publishedPos, p.position());
        }
        long last = publishedPos;
        String[] encoded = new String[pushes.size()];
        Map<Long, RawValue> runs = new HashMap<>();
        for (Session s : sessions.values()) {
            s.lock.lock();
            try {
                s.offeredPos = Math.max(s.offeredPos, last);
                if (!s.subscribed || !s.authed()) {
                    continue;
                }
                if (s.replaying) {
                    s.buffer.addAll(pushes);
                } else {
                    deliver(s, pushes, encoded, runs);
                }
            } finally {
                s.lock.unlock();
            }
        }
    }

    private void pushMetrics() {
        try {
            if (sessions.values().stream().noneMatch(s -> s.authed() && s.subscribed)) {
                return;
            }
            RawValue m = encode(metrics.get());
            for (Session s : sessions.values()) {
                if (s.authed() && s.subscribed) {
                    s.client.sendEvent("metrics", m);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics push failed", e);
        }
    }

    private volatile long lastOfferNanos;
    private volatile int queuedBatches;

    /** How long the last broadcast of one commit's pushes took, in ms. */
    public double lastBroadcastMs() {
        return lastOfferNanos / 1e6;
    }

    /** Commits whose pushes wait for the broadcaster. */
    public int broadcastBacklog() {
        return queuedBatches;
    }

    /** Connections closed because the client took no data within {@code SWITCHBOARD_SOCKET_WRITE_TIMEOUT}. */
    public long slowClientsClosed() {
        return writeGuard.closedCount();
    }

    /** Clients connected with a valid key. */
    public int clientCount() {
        return (int) sessions.values().stream().filter(Session::authed).count();
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
        if (broadcaster != null) {
            broadcaster.interrupt();
        }
        if (server != null) {
            server.stop();
        }
    }
}
