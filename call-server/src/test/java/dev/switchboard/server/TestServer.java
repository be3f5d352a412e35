package dev.switchboard.server;

import dev.switchboard.server.config.ServerConfig;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real call-server for tests: free ports, its own data directory, and either the embedded H2
 * database or a fresh PostgreSQL database at 127.0.0.1:5432 (created per instance, dropped on
 * {@link #destroy()}). Under CI ({@code CI} set) an unreachable PostgreSQL fails the test instead
 * of skipping it.
 */
public final class TestServer implements AutoCloseable {

    public enum Backend { H2, POSTGRES }

    public static final String ADMIN_KEY = "test-admin-key-0123456789";
    public static final String INGEST_KEY = "test-ingest-key-0123456789";
    public static final String SUPERVISOR_KEY = "test-supervisor-key-0123456789";
    public static final String PG_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /** Loggers quieted in tests (kept strongly: JUL holds loggers weakly). */
    private static final java.util.List<java.util.logging.Logger> QUIET = java.util.stream.Stream.of(
            "switchboard.access", "io.helidon", "com.corundumstudio", "io.netty", "org.flywaydb", "com.zaxxer.hikari")
        .map(java.util.logging.Logger::getLogger).toList();

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }

    private final Backend backend;
    private final Map<String, String> env;
    private final Path dataDir;
    private final String pgDatabase;
    private Switchboard app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The settings of the last start. */
    private ServerConfig config;

    private TestServer(Backend backend, Map<String, String> overrides) {
        this.backend = backend;
        try {
            this.dataDir = Files.createTempDirectory("switchboard-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env = new HashMap<>();
        env.put("SWITCHBOARD_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_HTTP_PORT", String.valueOf(freePort()));
        env.put("SWITCHBOARD_SOCKET_PORT", String.valueOf(freePort()));
        env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
        env.put("SWITCHBOARD_API_KEYS", ADMIN_KEY + ":admin," + INGEST_KEY + ":ingest," + SUPERVISOR_KEY + ":supervisor");
        env.put("SWITCHBOARD_RETRY_BACKOFF", "PT0.02S");
        if (overrides.containsKey("SWITCHBOARD_DB_URL") && !overrides.get("SWITCHBOARD_DB_URL").isBlank()) {
            pgDatabase = null;   // another server's database (see joining)
        } else if (backend == Backend.POSTGRES) {
            pgDatabase = "sb_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            createDatabase(pgDatabase);
            env.put("SWITCHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:5432/" + pgDatabase);
            env.put("SWITCHBOARD_DB_USER", "postgres");
        } else {
            pgDatabase = null;
        }
        env.putAll(overrides);
    }

    /** Starts a server on {@code backend} with extra settings (environment variable names). */
    public static TestServer start(Backend backend, Map<String, String> overrides) {
        TestServer t = new TestServer(backend, overrides);
        t.startAgain();
        return t;
    }

    public static TestServer start(Backend backend) {
        return start(backend, Map.of());
    }

    /**
     * Starts another server on the PostgreSQL database of {@code first} (a second cluster node:
     * its own ports and data directory); closing it leaves the database to {@code first}.
     */
    public static TestServer joining(TestServer first, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(first.env);
        env.remove("SWITCHBOARD_HTTP_PORT");
        env.remove("SWITCHBOARD_SOCKET_PORT");
        env.remove("SWITCHBOARD_DATA_DIR");
        env.putAll(overrides);
        TestServer t = new TestServer(first.backend, env);
        t.startAgain();
        return t;
    }

    /** Starts (again) on the same database and ports: a restart. */
    public TestServer startAgain() {
        Config yaml = Config.builder()
            .addSource(ConfigSources.classpath("application.yaml"))
            .disableEnvironmentVariablesSource()
            .disableSystemPropertiesSource()
            .build()
            .get("switchboard");
        try {
            config = ServerConfig.load(env, yaml);
            app = Switchboard.start(config);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    /** Stops the server, keeping the database (for restart tests). */
    public void stop() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    @Override
    public void close() {
        stop();
        destroy();
    }

    /** Drops the PostgreSQL database. */
    public void destroy() {
        if (pgDatabase != null) {
            dropDatabase(pgDatabase);
        }
    }

    /** Drops a test database at 127.0.0.1:5432, best effort. */
    public static void dropDatabase(String name) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException ignored) {
            // best effort
        }
    }

    public Switchboard app() {
        return app;
    }

    public Backend backend() {
        return backend;
    }

    public String pgDatabase() {
        return pgDatabase;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + env.get("SWITCHBOARD_HTTP_PORT");
    }

    public String socketUrl() {
        return "http://127.0.0.1:" + env.get("SWITCHBOARD_SOCKET_PORT");
    }

    public String jdbcUrl() {
        return config.dbUrl();
    }

    /** A JDBC connection to the server's database (also while it is stopped), for checks and fault injection. */
    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(config.dbUrl(), config.dbUser(), config.dbPassword());
    }

    public HttpResponse<String> post(String path, String key, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    /** POST /api/events as JSON with the ingest key. */
    public HttpResponse<String> postEvent(String json) {
        return post("/api/events", INGEST_KEY, "application/json", json);
    }

    public HttpResponse<String> put(String path, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
            .PUT(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return send(b.build());
    }

    public HttpResponse<String> delete(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).DELETE();
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return send(b.build());
    }

    public HttpResponse<String> get(String path) {
        return get(path, SUPERVISOR_KEY);
    }

    public HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates a test database at 127.0.0.1:5432; under CI an unreachable PostgreSQL fails, locally it skips. */
    public static void createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(PG_ADMIN_URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must test on PostgreSQL at 127.0.0.1:5432, but it is unreachable: "
                    + e.getMessage(), e);
            }
            throw new TestAbortedException("PostgreSQL at 127.0.0.1:5432 is unreachable: " + e.getMessage());
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
