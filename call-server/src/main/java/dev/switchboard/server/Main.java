package dev.switchboard.server;

import dev.switchboard.server.config.ApiKey;
import dev.switchboard.server.config.Secrets;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.observe.LoggingAtExit;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import java.io.IOException;
import java.util.List;
import java.util.logging.Logger;

/** Starts call-server from application.yaml and the environment. */
public final class Main {

    private static final Logger LOG = Logger.getLogger(Main.class.getName());
    static final String KEY_FILE = "admin-api-key";

    private Main() {
    }

    public static void main(String[] args) {
        // Netty (Socket.io) would use sun.misc.Unsafe, which JDK 23+ warns about on every start;
        // -Dio.netty.noUnsafe=false brings it back.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        LogConfig.configureRuntime();
        String level = System.getenv("SWITCHBOARD_LOG_LEVEL");   // e.g. WARNING silences the access log
        if (level != null) {
            try {
                java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.parse(level.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                System.err.println("switchboard: cannot start: SWITCHBOARD_LOG_LEVEL must be SEVERE, WARNING, INFO, FINE..., got '"
                    + level + "'");
                System.exit(2);
            }
        }
        ServerConfig config;
        try {
            config = ServerConfig.load(System.getenv(), Config.create().get("switchboard"));
            config = withKeys(config);
        } catch (ServerConfig.ConfigException | IOException e) {
            System.err.println("switchboard: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            Switchboard app = Switchboard.start(config);
            // SIGTERM (docker stop, systemd) runs the graceful stop, bounded by SWITCHBOARD_DRAIN_TIMEOUT;
            // logging stays up until it has logged its last line
            Thread stop = new Thread(app::close, "switchboard-shutdown");
            Runtime.getRuntime().addShutdownHook(stop);
            LoggingAtExit.holdUntil(stop, config.drainTimeout().plusSeconds(2));
            String host = "0.0.0.0".equals(config.host()) ? "localhost" : config.host();
            LOG.info("Switchboard is up: dashboard and REST http://" + host + ":" + app.httpPort()
                + "/  Socket.io http://" + host + ":" + app.socketPort() + "/  database "
                + (config.embeddedDb() ? "embedded (" + config.dataDir().toAbsolutePath().normalize() + ")" : "PostgreSQL")
                + ", " + (app.ingestor().startSnapshotSeq() > 0 ? "snapshot at seq " + app.ingestor().startSnapshotSeq()
                + " and " : "") + app.replayed() + " history entries replayed");
        } catch (Exception e) {
            System.err.println("switchboard: cannot start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    /**
     * With no keys configured: one admin key, generated at first start and kept in the data
     * directory; printed once, when it is created.
     */
    static ServerConfig withKeys(ServerConfig c) throws IOException {
        if (!c.apiKeys().isEmpty()) {
            return c;
        }
        Secrets.Kept kept = Secrets.kept(c.dataDir(), KEY_FILE, "sb_");
        String key = kept.value();
        if (kept.created()) {
            // Printed this once only (first start); afterwards it is in the file.
            System.out.println("Generated an admin API key (kept in " + kept.file().toAbsolutePath().normalize() + "): " + key);
        } else {
            LOG.info("No SWITCHBOARD_API_KEYS set: using the admin key kept in " + kept.file().toAbsolutePath().normalize());
        }
        return c.withApiKeys(List.of(new ApiKey(key, ApiKey.Role.ADMIN)));
    }
}
