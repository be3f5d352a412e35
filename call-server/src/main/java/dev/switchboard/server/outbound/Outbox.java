package dev.switchboard.server.outbound;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.History;
import dev.switchboard.server.wire.Wire;
import io.helidon.dbclient.DbRow;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The transactional outbox: effects that leave the service are written with the history entries
 * that cause them (same transaction, see {@code Ingestor}), then delivered by a worker through the
 * {@link OutboundSink} the subscription's URL picks: at least once, {@link #MAX_ATTEMPTS} attempts
 * with exponential backoff, then the dead-letter state, from which an admin can replay.
 * Nothing is lost if the receiver or the server is down: pending rows wait in the database.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** History entry types that go out. */
    public static final Set<String> OUTBOUND_TYPES =
        Set.of("call_ended", History.SURVEY_REQUESTED, History.ALERT_RAISED, "call_retransfer", History.REVIEW_FLAGGED);
    public static final int MAX_ATTEMPTS = 3;
    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String DEAD = "dead";
    /** The subscription made from SWITCHBOARD_WEBHOOK_URL. */
    public static final String DEFAULT_ID = "default";
    private static final int DUE_PAGE = 100;

    private final Store store;
    private final Duration backoff;
    private final List<OutboundSink> sinks;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile boolean running = true;
    /** Cluster mode: only the leader delivers (once per cluster). */
    private volatile java.util.function.BooleanSupplier leading = () -> true;
    private Thread worker;

    public Outbox(Store store, Duration backoff) {
        this(store, backoff, ServiceLoader.load(OutboundSink.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public Outbox(Store store, Duration backoff, List<OutboundSink> sinks) {
        this.store = store;
        this.backoff = backoff;
        this.sinks = List.copyOf(sinks);
    }

    /** Loads subscriptions; registers (or updates) the one from SWITCHBOARD_WEBHOOK_URL. */
    public void load(String defaultUrl, String defaultSecret) {
        store.db().execute().query("SELECT id, url, secret, event_types FROM webhook_subscriptions")
            .forEach(r -> put(subscription(r)));
        if (defaultUrl != null) {
            Subscription d = new Subscription(DEFAULT_ID, defaultUrl, defaultSecret, Set.of());
            store.db().execute().dml("DELETE FROM webhook_subscriptions WHERE id = ?", DEFAULT_ID);
            insert(d);
            put(d);
        } else if (subscriptions.remove(DEFAULT_ID) != null) {
            store.db().execute().dml("DELETE FROM webhook_subscriptions WHERE id = ?", DEFAULT_ID);
        }
    }

    /** Delivers only while {@code leading} says so (cluster mode: the leader's job). */
    public void onlyWhile(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    /**
     * Reads the subscriptions again (a node that takes the lead: subscriptions added or removed
     * through the leader before it are in the database).
     */
    public void reload() {
        java.util.Set<String> stored = new java.util.HashSet<>();
        store.db().execute().query("SELECT id, url, secret, event_types FROM webhook_subscriptions")
            .forEach(r -> {
                Subscription s = subscription(r);
                stored.add(s.id());
                put(s);
            });
        subscriptions.keySet().retainAll(stored);
    }

    public void start() {
        worker = Thread.ofPlatform().name("switchboard-outbox").daemon().start(this::loop);
    }

    // ------------------------------------------------------------------ writing

    /** The outbox rows one history entry makes (none if no subscription wants it). */
    public List<Store.OutboxRow> rowsFor(long seq, History.Entry entry, String callId, RawValue call) {
        if (!OUTBOUND_TYPES.contains(entry.type()) || subscriptions.isEmpty()) {
            return List.of();
        }
        String eventId = "sb-" + seq;
        ObjectNode body = Wire.object();
        body.put("id", eventId);
        body.put("type", entry.type());
        body.put("call_id", callId);
        body.put("occurred_at", Wire.instant(entry.atMs()));
        body.put("seq", seq);
        body.set("data", entry.metadata());
        body.putRawValue("call", call);
        String payload = Wire.write(body);
        List<Store.OutboxRow> rows = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            if (s.wants(entry.type())) {
                rows.add(new Store.OutboxRow(eventId, s.id(), entry.type(), callId, payload, entry.atMs()));
            }
        }
        return rows;
    }

    /** Tells the worker new rows were committed. */
    public void wake() {
        wake.release();
    }

    // ------------------------------------------------------------------ delivering

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(250, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                while (running && leading.getAsBoolean() && deliverDue() == DUE_PAGE) {
                    // a full page: there may be more due right now
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "outbox round failed (will retry): " + e.getMessage());
            }
        }
    }

    /** Delivers what is due now, in parallel; returns how many rows it tried. */
    int deliverDue() throws InterruptedException {
        List<DbRow> due = store.db().execute().query("SELECT id, event_id, subscription_id, type, call_id, payload, attempts "
                + "FROM outbox WHERE state = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?", PENDING,
            Instant.now().atOffset(ZoneOffset.UTC), DUE_PAGE).toList();
        List<Future<?>> running = new ArrayList<>();
        for (DbRow r : due) {
            running.add(senders.submit(() -> attempt(r)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.log(Level.WARNING, "delivery task failed", e.getCause());
            }
        }
        return due.size();
    }

    private void attempt(DbRow r) {
        long id = r.column("id").get(Long.class);
        int attempts = r.column("attempts").get(Integer.class) + 1;
        Subscription s = subscriptions.get(r.column("subscription_id").get(String.class));
        String error;
        if (s == null) {
            error = "subscription removed";
            attempts = MAX_ATTEMPTS;
        } else {
            Delivery d = new Delivery(id, r.column("event_id").get(String.class), r.column("type").get(String.class),
                r.column("call_id").get(String.class), r.column("payload").get(String.class), attempts, s);
            Optional<OutboundSink> sink = sinkFor(s.url());
            try {
                if (sink.isEmpty()) {
                    throw new IllegalStateException("no sink for " + URI.create(s.url()).getScheme());
                }
                sink.get().deliver(d);
                store.db().execute().dml("UPDATE outbox SET state = ?, attempts = ?, delivered_at = ?, last_error = NULL "
                    + "WHERE id = ?", DELIVERED, attempts, Instant.now().atOffset(ZoneOffset.UTC), id);
                delivered.increment();
                return;
            } catch (Exception e) {
                error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        failures.increment();
        boolean dead = attempts >= MAX_ATTEMPTS;
        Instant next = Instant.now().plus(backoff.multipliedBy(1L << Math.min(attempts - 1, 16)));
        store.db().execute().dml("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            dead ? DEAD : PENDING, attempts, next.atOffset(ZoneOffset.UTC),
            error.length() > 1000 ? error.substring(0, 1000) : error, id);
        if (dead) {
            LOG.warning("delivery " + id + " to subscription " + (s == null ? "?" : s.id()) + " is dead after "
                + attempts + " attempts: " + error);
        }
    }

    private Optional<OutboundSink> sinkFor(String url) {
        URI target = URI.create(url);
        return sinks.stream().filter(k -> k.supports(target)).findFirst();
    }

    /** Whether a sink exists for this URL (checked when a subscription is added). */
    public boolean deliverable(String url) {
        try {
            return sinkFor(url).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ administration

    public Collection<Subscription> subscriptions() {
        return subscriptions.values();
    }

    /** Adds a subscription; a secret is generated when none is given. */
    public Subscription add(String url, String secret, Set<String> types) {
        String id = "wh_" + HexFormat.of().formatHex(random(6));
        Subscription s = new Subscription(id, url, secret != null ? secret : HexFormat.of().formatHex(random(24)),
            new LinkedHashSet<>(types));
        insert(s);
        put(s);
        return s;
    }

    public boolean remove(String id) {
        boolean removed = store.db().execute().dml("DELETE FROM webhook_subscriptions WHERE id = ?", id) > 0;
        subscriptions.remove(id);
        return removed;
    }

    public ArrayNode deliveries(String state, int limit) {
        ArrayNode out = Wire.array();
        store.db().execute().query("SELECT id, event_id, subscription_id, type, call_id, state, attempts, last_error, "
                + "created_at, delivered_at FROM outbox" + (state == null ? "" : " WHERE state = ?") + " ORDER BY id DESC LIMIT ?",
            state == null ? new Object[] {limit} : new Object[] {state, limit}).forEach(r -> {
                ObjectNode n = out.addObject();
                n.put("id", r.column("id").get(Long.class));
                n.put("event_id", r.column("event_id").get(String.class));
                n.put("subscription_id", r.column("subscription_id").get(String.class));
                n.put("type", r.column("type").get(String.class));
                n.put("call_id", r.column("call_id").get(String.class));
                n.put("state", r.column("state").get(String.class));
                n.put("attempts", r.column("attempts").get(Integer.class));
                n.put("last_error", r.column("last_error").get(String.class));
                n.put("created_at", Wire.instant(Store.millis(r.column("created_at").get(Object.class))));
                n.put("delivered_at", Wire.instant(Store.millis(r.column("delivered_at").get(Object.class))));
            });
        return out;
    }

    /** Puts a delivery back in the queue for 3 fresh attempts; {@code false} if there is no such delivery. */
    public boolean replay(long id) {
        boolean found = store.db().execute().dml("UPDATE outbox SET state = ?, attempts = 0, next_attempt_at = ?, "
            + "last_error = NULL WHERE id = ?", PENDING, Instant.now().atOffset(ZoneOffset.UTC), id) > 0;
        wake();
        return found;
    }

    public long backlog() {
        return store.db().execute().get("SELECT COUNT(*) AS n FROM outbox WHERE state = ?", PENDING)
            .map(r -> r.column("n").get(Long.class)).orElse(0L);
    }

    public long deliveredCount() {
        return delivered.sum();
    }

    public long failureCount() {
        return failures.sum();
    }

    private void insert(Subscription s) {
        store.db().execute().dml("INSERT INTO webhook_subscriptions (id, url, secret, event_types, created_at) "
            + "VALUES (?, ?, ?, ?, ?)", s.id(), s.url(), s.secret(), String.join(",", s.eventTypes()),
            Instant.now().atOffset(ZoneOffset.UTC));
    }

    private void put(Subscription s) {
        subscriptions.put(s.id(), s);
    }

    private static Subscription subscription(DbRow r) {
        String types = r.column("event_types").get(String.class);
        Set<String> set = new LinkedHashSet<>();
        for (String t : types.split(",")) {
            if (!t.isBlank()) {
                set.add(t.trim());
            }
        }
        return new Subscription(r.column("id").get(String.class), r.column("url").get(String.class),
            r.column("secret").get(String.class), set);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        senders.shutdown();
    }
}
