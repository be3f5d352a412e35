package dev.switchboard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.AgentRouter;
import dev.switchboard.core.CallEngine;
import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.QueueDirectory;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.config.Secrets;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.http.Auth;
import dev.switchboard.server.http.CallsService;
import dev.switchboard.server.http.CenterService;
import dev.switchboard.server.http.EventsService;
import dev.switchboard.server.http.OutboundService;
import dev.switchboard.server.http.Problems;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.outbound.Outbox;
import dev.switchboard.server.realtime.SocketHub;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * The running service, wired by hand in the order data flows: store → engine → ingestor →
 * Socket.io hub → HTTP routes. {@link Main} starts one from the environment; tests start one from
 * a {@link ServerConfig} of their own.
 */
public final class Switchboard implements AutoCloseable {

    private final ServerConfig config;
    private final Store store;
    private final Ingestor ingestor;
    private final SocketHub hub;
    private final Outbox outbox;
    private final WebServer web;
    private final long replayed;

    private Switchboard(ServerConfig config, Store store, Ingestor ingestor, SocketHub hub, Outbox outbox, WebServer web,
                        long replayed) {
        this.outbox = outbox;
        this.config = config;
        this.store = store;
        this.ingestor = ingestor;
        this.hub = hub;
        this.web = web;
        this.replayed = replayed;
    }

    public static Switchboard start(ServerConfig config) throws SQLException {
        Store store = Store.open(config);
        CallEngine engine = CallEngine.builder()
            .clock(Clock.system())
            .thresholds(config.thresholds())
            .queues(QueueDirectory.of(config.queues()))
            .router(AgentRouter.longestIdle())
            .build();
        store.saveQueues(config.queues(), engine::thresholdsFor);
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
        SocketHub[] hubRef = new SocketHub[1];
        Ingestor ingestor = new Ingestor(engine, store, pushes -> hubRef[0].publish(pushes), outbox, config.retryBackoff());
        SocketHub hub = new SocketHub(config, store,
            config.queues().stream().map(QueueConfig::id).collect(Collectors.toSet()),
            () -> ingestor.withEngine(Switchboard::metricsJson));
        hubRef[0] = hub;
        long replayed = ingestor.start();
        hub.start();
        outbox.start();
        Auth auth = new Auth(config.apiKeys(), ingestor::countRejected);
        WebServer web = WebServer.builder()
            .host(config.host())
            .port(config.httpPort())
            .routing(r -> routing(r, config, store, ingestor, hub, outbox, auth))
            .build()
            .start();
        return new Switchboard(config, store, ingestor, hub, outbox, web, replayed);
    }

    static void routing(HttpRouting.Builder r, ServerConfig config, Store store, Ingestor ingestor, SocketHub hub,
                        Outbox outbox, Auth auth) {
        r.addFilter(auth);
        Problems.register(r);
        r.register("/api/events", new EventsService(ingestor, auth, config.maxBodyBytes()))
            .register("/api/calls", new CallsService(store, auth))
            .register("/api", new CenterService(ingestor, store, auth, hub, config.socketPort()))
            .register("/api", new OutboundService(outbox, auth))
            .get("/api/openapi.yaml", (req, res) -> {
                res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/yaml");
                try (var in = Switchboard.class.getResourceAsStream("/openapi.yaml")) {
                    res.send(in.readAllBytes());
                }
            })
            .get("/health", (req, res) -> {
                boolean up = store.ping();
                res.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
                ObjectNode body = Wire.object();
                body.put("status", up ? "UP" : "DOWN");
                res.header(io.helidon.http.HeaderNames.CONTENT_TYPE, "application/json");
                res.send(Wire.write(body));
            });
        if (Switchboard.class.getClassLoader().getResource("web/index.html") != null) {
            r.register("/", StaticContentService.builder("web").welcomeFileName("index.html").build());
        }
    }

    /** The {@code metrics} push: {@code {queues, agents}}. */
    static ObjectNode metricsJson(CallEngine engine) {
        ObjectNode m = Wire.object();
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

    /** History entries replayed at startup. */
    public long replayed() {
        return replayed;
    }

    /** Graceful stop: no new requests, in-flight commits finish, sockets close, pool closes. */
    @Override
    public void close() {
        web.stop();
        ingestor.close();
        outbox.close();
        hub.close();
        store.close();
    }
}
