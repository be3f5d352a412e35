package dev.switchboard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterService;
import dev.switchboard.server.config.Secrets;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.CallsService;
import dev.switchboard.server.http.CenterService;
import dev.switchboard.server.http.Json;
import dev.switchboard.server.http.OidcSignIn;
import dev.switchboard.server.http.TrafficService;
import dev.switchboard.server.http.EventsService;
import dev.switchboard.server.http.OutboundService;
import dev.switchboard.server.http.Params;
import dev.switchboard.server.http.Problems;
import dev.switchboard.server.http.RateLimiter;
import dev.switchboard.server.http.UsersService;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.observe.AccessLog;
import dev.switchboard.server.observe.Readiness;
import dev.switchboard.server.observe.Telemetry;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.reports.ReportsService;
import dev.switchboard.server.store.Retention;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.traffic.Traffic;
import dev.switchboard.server.users.Accounts;
import dev.switchboard.server.wire.Wire;
import io.helidon.health.HealthCheckResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The running service, wired by hand in the order data flows: store → engine → ingestor →
 * Socket.io hub → HTTP routes. {@link Main} starts one from the environment; tests start one from
 * a {@link ServerConfig} of their own.
 */
public final class Switchboard implements AutoCloseable {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Switchboard.class.getName());

    private final ServerConfig config;
    private final Store store;
    private final Ingestor ingestor;
    private final SocketHub hub;
    private final Outbox outbox;
    private final Retention retention;
    private final WebServer web;
    private final Drain drain;
    private final long replayed;
    private final Cluster cluster;
    private final AccessLog accessLog;
    private final Traffic traffic;

    private Switchboard(ServerConfig config, Store store, Ingestor ingestor, SocketHub hub, Outbox outbox,
                        Retention retention, WebServer web, Drain drain, long replayed, Cluster cluster,
                        AccessLog accessLog, Traffic traffic) {
        this.traffic = traffic;
        this.cluster = cluster;
        this.accessLog = accessLog;
        this.outbox = outbox;
        this.retention = retention;
        this.config = config;
        this.store = store;
        this.ingestor = ingestor;
        this.hub = hub;
        this.web = web;
        this.drain = drain;
        this.replayed = replayed;
    }

    public static Switchboard start(ServerConfig config) throws SQLException {
        Telemetry telemetry = new Telemetry();
        Store store = Store.open(config, telemetry.registry());
        AutoCloseable startupLock = store.startupLock();   // cluster nodes starting at once take turns here
        Accounts accounts = new Accounts(store, config.users().sessionTtl(), java.time.Clock.systemUTC());
        if (config.users().adminUser() != null
            && accounts.seedAdmin(config.users().adminUser(), config.users().adminPassword())) {
            LOG.info("created the first admin account '" + config.users().adminUser() + "' (SWITCHBOARD_ADMIN_USER); "
                + "SWITCHBOARD_ADMIN_PASSWORD is not read again once any account exists");
        }
        Store.Queues queues = store.queues(config.queues(), config.thresholds());
        if (queues.seeded()) {
            LOG.info("queues seeded from the configuration: " + queues.queues().stream().map(QueueConfig::id).toList()
                + (queues.legacy() ? " (replacing the rows of an older version)" : ""));
        } else if (!config.queues().isEmpty()) {
            LOG.info("queues from the database (" + queues.queues().size() + "); the configured queues only seed an "
                + "empty database: change queues with PUT /api/queues/{id}");
        }
        CallEngine engine = CallEngine.builder()
            .clock(Clock.system())
            .thresholds(config.thresholds())
            .queues(QueueDirectory.of(queues.queues()))
            .router(AgentRouter.longestIdle())
            .timeZone(config.timeZone())
            .build();
        Outbox outbox = new Outbox(store, config.webhookBackoff());
        String webhookSecret = config.webhookSecret();
        if (config.webhookUrl() != null && webhookSecret == null) {
            try {
                webhookSecret = Secrets.kept(config.dataDir(), "webhook-secret", "whsec_").value();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot keep the webhook secret in " + config.dataDir(), e);
            }
        }
        outbox.load(config.webhookUrl(), webhookSecret);
        try {
            startupLock.close();
        } catch (Exception e) {
            throw new SQLException("cannot release the start-up lock: " + e.getMessage(), e);
        }
        SocketHub[] hubRef = new SocketHub[1];
        Ingestor ingestor = new Ingestor(engine, store, pushes -> hubRef[0].publish(pushes), outbox, config.retryBackoff());
        SocketHub hub = new SocketHub(config, store, queue -> ingestor.withEngine(e -> e.queues().exists(queue)),
            () -> ingestor.withEngine(Switchboard::metricsJson), token -> accounts.userOf(token).map(Accounts.User::role));
        hubRef[0] = hub;
        Retention retention = new Retention(store, config.retention());
        long replayed;
        Cluster cluster = null;
        if (config.clustered()) {
            replayed = ingestor.recover();
            hub.start(ingestor.lastSeq());
            try {
                cluster = Cluster.join(config, store, ingestor, hub, outbox, retention);
            } catch (RuntimeException | SQLException e) {
                ingestor.close();
                hub.close();
                store.close();
                throw e;
            }
        } else {
            replayed = ingestor.start();
            hub.start(ingestor.lastSeq());
        }
        outbox.start();
        retention.start();
        Auth auth = new Auth(config.apiKeys(), accounts, ingestor::countRejected,
            new RateLimiter(config.rateLimitPerSecond()));
        bindTelemetry(telemetry, queues.queues(), store, ingestor, hub, outbox, retention);
        Drain drain = new Drain(config.drainTimeout(), ingestor::lastSeq);
        AccessLog accessLog = new AccessLog(config.accessLog());
        telemetry.counter("switchboard_access_log_dropped", "access-log lines dropped because the log could not keep up",
            accessLog::dropped);
        Cluster joined = cluster;
        Traffic traffic = Traffic.on(ingestor);
        java.util.Optional<OidcSignIn> oidc = OidcSignIn.of(config.users(), accounts);
        var health = HealthObserver.builder()
            .details(true)
            .addCheck(databaseCheck(store))
            .addCheck(ingestCheck(ingestor))
            .addCheck(drain.readiness());
        if (joined != null) {
            joined.bind(telemetry);
            health.addCheck(joined.readiness());
        }
        io.helidon.webserver.WebServerConfig.Builder server = WebServer.builder()
            // only the features added here: a Helidon module on the class path adds nothing by itself
            .featuresDiscoverServices(false);
        oidc.ifPresent(o -> server.addFeature(o.contextFeature()));
        WebServer web = server
            .host(config.host())
            .port(config.httpPort())
            // Helidon's own hook would stop the listeners in parallel with ours, cutting off requests
            // in flight, and its stop() fails inside a JVM shutdown; close() is the one stop sequence.
            .shutdownHook(false)
            // no packet logging listener on every read and write (it logs at TRACE/DEBUG only, never on here)
            .addProtocol(io.helidon.webserver.http1.Http1Config.builder().sendLog(false).receiveLog(false).build())
            .addFeature(ObserveFeature.just(health.build()))
            .routing(r -> routing(r, config, store, ingestor, hub, outbox, auth, accounts, telemetry, drain, joined,
                accessLog, traffic, oidc))
            .build()
            .start();
        return new Switchboard(config, store, ingestor, hub, outbox, retention, web, drain, replayed, cluster, accessLog,
            traffic);
    }

    static void routing(HttpRouting.Builder r, ServerConfig config, Store store, Ingestor ingestor, SocketHub hub,
                        Outbox outbox, Auth auth, Accounts accounts, Telemetry telemetry, Drain drain, Cluster cluster,
                        AccessLog accessLog, Traffic traffic, java.util.Optional<OidcSignIn> oidc) {
        r.addFilter(accessLog);
        r.addFilter(drain);
        r.addFilter(auth);
        Problems.register(r);
        if (cluster != null) {
            cluster.routing(r, auth);
        } else {
            ClusterService.standalone(r, auth, config, java.time.Instant.now());   // leads since it started
        }
        r.register("/api/events", new EventsService(ingestor, auth, config.maxBodyBytes(), telemetry))
            .register("/api/calls", new CallsService(store, auth))
            .register("/api", new CenterService(ingestor, store, auth, hub, config.socketPort(), config.maxBodyBytes()))
            .register("/api", new OutboundService(outbox, auth))
            .register("/api/reports", new ReportsService(store, ingestor, auth))
            .register("/api/traffic", new TrafficService(traffic, auth, config.maxBodyBytes(), ingestor::countRejected))
            .register("/api", new UsersService(accounts, auth, config.maxBodyBytes(), config.users().sessionTtl(),
                ingestor::countRejected, hub::sessionEnded))
            .get("/auth/methods", Params.only((req, res) -> {
                // open: the sign-in page asks which ways to sign in it may offer
                ObjectNode methods = Wire.object();
                methods.put("password", true);
                methods.put("oidc", oidc.isPresent());
                methods.put("oidc_path", oidc.isPresent() ? OidcSignIn.LOGIN_PATH : null);
                Json.send(res, methods);
            }))
            .get("/api/openapi.yaml", Params.only((req, res) -> {
                res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/yaml");
                try (var in = Switchboard.class.getResourceAsStream("/openapi.yaml")) {
                    res.send(in.readAllBytes());
                }
            }))
            .get("/metrics", Params.only((req, res) -> {
                res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                res.send(telemetry.scrape());
            }));
        oidc.ifPresent(o -> o.routing(r));
        if (Switchboard.class.getClassLoader().getResource("web/index.html") != null) {
            // the wall view (a page of the dashboard's bundle, web/wall.html), at an address a TV can keep
            r.get("/wall", Params.only((req, res) -> {
                res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8");
                try (var in = Switchboard.class.getClassLoader().getResourceAsStream("web/wall.html")) {
                    res.send(in.readAllBytes());
                }
            }));
            r.register("/", StaticContentService.builder("web").welcomeFileName("index.html").build());
        }
    }

    /** Readiness: the database answers. */
    static Readiness databaseCheck(Store store) {
        return new Readiness("database", () -> HealthCheckResponse.builder().status(store.ping()).build());
    }

    /** Readiness: the writer is alive and the in-memory state is trusted. */
    static Readiness ingestCheck(Ingestor ingestor) {
        return new Readiness("ingest", () -> {
            HealthCheckResponse.Builder b = HealthCheckResponse.builder().status(ingestor.healthy());
            if (ingestor.degraded() != null) {
                b.detail("degraded", ingestor.degraded());
            }
            return b.build();
        });
    }

    /** @param queues the queues at the start: a queue created later has no {@code switchboard_calls} gauge until a restart */
    static void bindTelemetry(Telemetry t, java.util.List<QueueConfig> queues, Store store, Ingestor ingestor, SocketHub hub,
                              Outbox outbox, Retention retention) {
        t.bindIngest(ingestor.acceptedByType(), ingestor.rejectedByReason(), ingestor::commitFailures, ingestor::backlog,
            ingestor::commits);
        ingestor.observeCommits(t::recordCommit);
        t.bindCalls(queues, key -> ingestor.withEngine(engine -> engine.liveCalls().stream()
            .filter(c -> c.queueId().equals(key[0]) && c.status().wireName().equals(key[1])).count()).doubleValue());
        t.gauge("switchboard_alerts_open", "alerts neither acknowledged nor resolved", () -> store.openAlertCount());
        t.gauge("switchboard_socket_clients", "Socket.io clients connected with a valid key", hub::clientCount);
        t.gauge("switchboard_socket_broadcast_backlog", "commits whose pushes wait for the broadcaster",
            hub::broadcastBacklog);
        t.gauge("switchboard_socket_broadcast_last_ms", "time the last commit's pushes took to hand to all clients",
            hub::lastBroadcastMs);
        t.counter("switchboard_socket_slow_clients_closed", "Socket.io connections closed for taking no data within the write timeout",
            hub::slowClientsClosed);
        t.gauge("switchboard_outbox_backlog", "outbound deliveries pending", outbox::backlog);
        t.counter("switchboard_outbox_delivered", "outbound deliveries that succeeded", outbox::deliveredCount);
        t.counter("switchboard_retention_deleted_calls", "ended calls deleted by SWITCHBOARD_RETENTION",
            retention::deletedCalls);
        t.counter("switchboard_outbox_failures", "outbound delivery attempts that failed", outbox::failureCount);
    }

    /** The {@code metrics} push: {@code {queues, agents, center}}. */
    static ObjectNode metricsJson(CallEngine engine) {
        ObjectNode m = Wire.object();
        m.set("center", CenterService.centerJson(engine));
        m.set("queues", CenterService.queuesJson(engine));
        m.set("agents", CenterService.agentsJson(engine));
        return m;
    }

    public int httpPort() {
        return web.port();
    }

    public int socketPort() {
        return config.socketPort();
    }

    public ServerConfig config() {
        return config;
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    public SocketHub hub() {
        return hub;
    }

    public Outbox outbox() {
        return outbox;
    }

    public Store store() {
        return store;
    }

    public Retention retention() {
        return retention;
    }

    /** History entries replayed at startup. */
    public long replayed() {
        return replayed;
    }

    /**
     * Graceful stop, within {@code SWITCHBOARD_DRAIN_TIMEOUT}: new requests refused (503, readiness
     * DOWN) → requests in flight finish → the ingestor (timers, then the last group commit) → the
     * outbox → Socket.io → the HTTP listener → the pool. The same from {@link Main}'s JVM shutdown
     * hook (SIGTERM) and from a plain call; a second call waits for the first. See {@link Drain}.
     */
    @Override
    public void close() {
        drain.stop(List.of(
            new Drain.Step("traffic generator", traffic::close),   // ends its calls while ingest still takes them
            new Drain.Step("ingestor", ingestor::close),
            new Drain.Step("cluster", () -> {
                if (cluster != null) {
                    cluster.close();
                }
            }),
            new Drain.Step("retention", retention::close),
            new Drain.Step("outbox", outbox::close),
            new Drain.Step("socket hub", hub::close),
            new Drain.Step("web server", this::stopWeb),
            new Drain.Step("access log", accessLog::close),
            new Drain.Step("database pool", store::close)));
    }

    /** Helidon's listener logs a connection accepted in its last moment as an error. */
    private static final String LATE_CONNECTION = "Executor rejected handler for new connection";

    /**
     * Stops the HTTP listener. A connection a client opens in the instant the listener closes is
     * accepted, then closed unhandled, and Helidon 4.0.4 logs that at SEVERE although nothing is
     * lost (the client got no reply and retries, like every refused request of the drain): during
     * the stop that one line is reported at INFO instead; every other record passes unchanged.
     */
    private void stopWeb() {
        java.util.logging.Logger listener = java.util.logging.Logger.getLogger("io.helidon.webserver.ServerListener");
        listener.setFilter(r -> {
            if (LATE_CONNECTION.equals(r.getMessage())) {
                java.util.logging.Logger.getLogger(Switchboard.class.getName())
                    .info("a connection opened as the HTTP listener closed was closed unhandled (the client retries)");
                return false;
            }
            return true;
        });
        web.stop();
    }
}
