package dev.switchboard.server.config;

import dev.switchboard.core.QueueConfig;
import dev.switchboard.core.rules.Thresholds;
import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the server, read once at startup and validated there: first the environment
 * variable ({@code SWITCHBOARD_...}), then {@code application.yaml} ({@code switchboard.*}), then
 * the default. A bad value stops startup with a message naming the variable.
 *
 * @param apiKeys     empty when none is configured: {@code Main} then generates one admin key under
 *                    {@code dataDir}
 * @param corsOrigins the browser origins allowed on Socket.io ({@code SWITCHBOARD_CORS_ORIGINS}),
 *                    exactly; empty when it is unset (or blank): then the dashboard's own origin
 *                    is allowed, whatever name it was opened by (see {@code realtime.OriginPolicy})
 */
public record ServerConfig(
    String host,
    int httpPort,
    int socketPort,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    List<ApiKey> apiKeys,
    Thresholds thresholds,
    List<QueueConfig> queues,
    Path dataDir,
    List<String> corsOrigins,
    String webhookUrl,
    String webhookSecret,
    long maxBodyBytes,
    Duration retryBackoff,
    Duration webhookBackoff,
    int rateLimitPerSecond,
    boolean socketCompression,
    Duration socketWriteTimeout,
    Retention retention,
    Duration drainTimeout,
    boolean accessLog,
    Cluster cluster,
    java.time.ZoneId timeZone,
    Users users) {

    /**
     * Named supervisors (see {@code dev.switchboard.server.users.Accounts}).
     *
     * @param sessionTtl    {@code SWITCHBOARD_SESSION_TTL}: how long a sign-in lasts (default PT12H, a
     *                      shift and its overlap)
     * @param adminUser     {@code SWITCHBOARD_ADMIN_USER}: the first admin, created when there is no
     *                      account at all; {@code null} when unset
     * @param adminPassword {@code SWITCHBOARD_ADMIN_PASSWORD}: that admin's first password
     * @param oidc          sign-in through an OpenID Connect provider; {@code null} when off
     */
    public record Users(Duration sessionTtl, String adminUser, String adminPassword, Oidc oidc) {
        @Override
        public String toString() {
            return "Users[sessionTtl=" + sessionTtl + ", adminUser=" + adminUser + ", adminPassword=****, oidc=" + oidc + "]";
        }
    }

    /**
     * Sign-in through the center's identity provider (OpenID Connect authorization code flow, by
     * Helidon's OIDC security provider). On when {@code SWITCHBOARD_OIDC_ISSUER} is set.
     *
     * @param issuer        {@code SWITCHBOARD_OIDC_ISSUER}: the provider's issuer URL (its
     *                      {@code /.well-known/openid-configuration} is read at start)
     * @param clientId      {@code SWITCHBOARD_OIDC_CLIENT_ID}
     * @param clientSecret  {@code SWITCHBOARD_OIDC_CLIENT_SECRET}
     * @param frontendUrl   {@code SWITCHBOARD_OIDC_FRONTEND_URL}: how browsers reach this server
     *                      (the provider redirects back to {@code <it>/auth/oidc/redirect}); default
     *                      {@code http://localhost:<http port>}
     * @param usernameClaim {@code SWITCHBOARD_OIDC_USERNAME_CLAIM}: the ID token claim that names the
     *                      Switchboard account (default {@code preferred_username})
     */
    public record Oidc(String issuer, String clientId, String clientSecret, String frontendUrl, String usernameClaim) {
        @Override
        public String toString() {
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=****, frontendUrl=" + frontendUrl
                + ", usernameClaim=" + usernameClaim + "]";
        }
    }

    /**
     * Cluster mode ({@code SWITCHBOARD_CLUSTER=postgres}): several nodes on one PostgreSQL
     * database, one of them the leader (see {@code dev.switchboard.server.cluster}).
     *
     * @param nodeId       {@code SWITCHBOARD_NODE_ID}, unique in the cluster (default host:port)
     * @param nodeUrl      {@code SWITCHBOARD_NODE_URL}: how the other nodes reach this node's HTTP port
     * @param secret       {@code SWITCHBOARD_CLUSTER_SECRET}: node-to-node calls carry it
     * @param leaseTimeout {@code SWITCHBOARD_LEASE_TIMEOUT}: a leader that does not answer PostgreSQL
     *                     for this long loses leadership
     */
    public record Cluster(String nodeId, String nodeUrl, String secret, Duration leaseTimeout) {
        @Override
        public String toString() {
            return "Cluster[nodeId=" + nodeId + ", nodeUrl=" + nodeUrl + ", leaseTimeout=" + leaseTimeout + "]";
        }
    }

    /** Whether this node is one of a cluster (else the single node of today). */
    public boolean clustered() {
        return cluster != null;
    }

    /**
     * How long ended calls are kept ({@code SWITCHBOARD_RETENTION}): an ISO-8601 period of the
     * calendar ({@code P90D}, {@code P6M}, {@code P1Y}) or a duration ({@code PT12H}).
     * {@code null} in the config record keeps everything.
     */
    public record Retention(String text, java.time.temporal.TemporalAmount amount) {
        /** The instant before which an ended call is old enough to delete. */
        public java.time.Instant cutoff(java.time.Instant now) {
            return now.atZone(java.time.ZoneOffset.UTC).minus(amount).toInstant();
        }
    }

    /** The same settings with other API keys. */
    public ServerConfig withApiKeys(List<ApiKey> keys) {
        return new ServerConfig(host, httpPort, socketPort, dbUrl, dbUser, dbPassword, dbPoolSize, List.copyOf(keys),
            thresholds, queues, dataDir, corsOrigins, webhookUrl, webhookSecret, maxBodyBytes, retryBackoff,
            webhookBackoff, rateLimitPerSecond, socketCompression, socketWriteTimeout, retention, drainTimeout, accessLog,
            cluster, timeZone, users);
    }

    /** Raised for a bad setting: startup stops with this message. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    /** The embedded database's URL for a data directory. */
    public static String embeddedDbUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("switchboard")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" + H2_STAYS_OPEN;
    }

    /**
     * H2 closes a database from its own JVM shutdown hook, which runs beside the graceful stop's:
     * the last group commit and the final snapshot would find it closed. The pool closes it, last.
     */
    static final String H2_STAYS_OPEN = ";DB_CLOSE_ON_EXIT=FALSE";

    public boolean embeddedDb() {
        return dbUrl.startsWith("jdbc:h2:");
    }

    /**
     * @param env  the environment (System.getenv() in production; a map in tests)
     * @param yaml the {@code switchboard} node of application.yaml
     */
    public static ServerConfig load(Map<String, String> env, Config yaml) {
        Reader r = new Reader(env, yaml);
        String host = r.string("SWITCHBOARD_HOST", "host", "0.0.0.0");
        int httpPort = r.port("SWITCHBOARD_HTTP_PORT", "http-port", 8080);
        int socketPort = r.port("SWITCHBOARD_SOCKET_PORT", "socket-port", 8081);
        if (httpPort == socketPort && httpPort != 0) {
            throw new ConfigException("SWITCHBOARD_HTTP_PORT and SWITCHBOARD_SOCKET_PORT must differ (both " + httpPort + ")");
        }
        Path dataDir = Path.of(r.string("SWITCHBOARD_DATA_DIR", "data-dir", "./data"));
        String dbUrl = r.string("SWITCHBOARD_DB_URL", "db.url", "");
        if (dbUrl.isBlank()) {
            dbUrl = embeddedDbUrl(dataDir);
        } else if (!dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw new ConfigException("SWITCHBOARD_DB_URL must be a jdbc:postgresql: (or jdbc:h2:) URL, got '"
                + dbUrl.replaceAll("password=[^&;]*", "password=****") + "'");
        } else if (dbUrl.startsWith("jdbc:h2:") && !dbUrl.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            dbUrl += H2_STAYS_OPEN;
        }
        String dbUser = r.string("SWITCHBOARD_DB_USER", "db.user", dbUrl.startsWith("jdbc:h2:") ? "sa" : "postgres");
        String dbPassword = r.string("SWITCHBOARD_DB_PASSWORD", "db.password", "");
        int pool = r.integer("SWITCHBOARD_DB_POOL_SIZE", "db.pool-size", 16, 1, 200);
        List<ApiKey> keys = parseKeys(r.string("SWITCHBOARD_API_KEYS", "api-keys", ""));

        Thresholds defaults = Thresholds.DEFAULTS;
        Thresholds thresholds = new Thresholds(
            r.duration("SWITCHBOARD_SLA_MAX_WAIT", "sla-max-wait", defaults.slaMaxWait()),
            r.duration("SWITCHBOARD_RING_TIMEOUT", "ring-timeout", defaults.ringTimeout()),
            r.duration("SWITCHBOARD_MAX_HOLD", "max-hold", defaults.maxHold()),
            r.duration("SWITCHBOARD_SHORT_CALL", "short-call", defaults.shortCall()),
            r.integer("SWITCHBOARD_AUTO_BREAK_AFTER", "auto-break-after", defaults.autoBreakAfterMisses(), 0, 1000),
            r.duration("SWITCHBOARD_CALL_MAX_IDLE", "call-max-idle", defaults.maxIdle()),
            r.durationOrZero("SWITCHBOARD_WRAP_UP", "wrap-up", defaults.wrapUp()),
            r.durationOrZero("SWITCHBOARD_SHORT_ABANDON", "short-abandon", defaults.shortAbandon()),
            r.fraction("SWITCHBOARD_SL_TARGET", "sl-target", defaults.slTarget()));

        List<QueueConfig> queues = parseQueues(yaml.get("queues"), thresholds);
        List<String> origins = parseOrigins(r.string("SWITCHBOARD_CORS_ORIGINS", "cors-origins", ""));
        String webhookUrl = r.string("SWITCHBOARD_WEBHOOK_URL", "webhook.url", "");
        String webhookSecret = r.string("SWITCHBOARD_WEBHOOK_SECRET", "webhook.secret", "");
        long maxBody = r.integer("SWITCHBOARD_MAX_BODY_BYTES", "max-body-bytes", 1024 * 1024, 1024, 64 * 1024 * 1024);
        Duration backoff = r.duration("SWITCHBOARD_RETRY_BACKOFF", "retry-backoff", Duration.ofMillis(100));
        Duration webhookBackoff = r.duration("SWITCHBOARD_WEBHOOK_BACKOFF", "webhook.backoff", Duration.ofSeconds(1));
        Duration writeTimeout = r.duration("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "socket-write-timeout", Duration.ofSeconds(30));
        if (writeTimeout.compareTo(Duration.ofMillis(100)) < 0) {
            throw new ConfigException("SWITCHBOARD_SOCKET_WRITE_TIMEOUT must be at least PT0.1S, got " + writeTimeout);
        }
        if (!webhookUrl.isBlank() && !webhookUrl.startsWith("http://") && !webhookUrl.startsWith("https://")) {
            throw new ConfigException("SWITCHBOARD_WEBHOOK_URL must be an http:// or https:// URL");
        }
        return new ServerConfig(host, httpPort, socketPort, dbUrl, dbUser, dbPassword, pool, keys, thresholds, queues,
            dataDir, origins, webhookUrl.isBlank() ? null : webhookUrl, webhookSecret.isBlank() ? null : webhookSecret,
            maxBody, backoff, webhookBackoff,
            r.integer("SWITCHBOARD_RATE_LIMIT", "rate-limit", 50_000, 0, 10_000_000),
            r.bool("SWITCHBOARD_SOCKET_COMPRESSION", "socket-compression", false),
            writeTimeout,
            parseRetention(r.string("SWITCHBOARD_RETENTION", "retention", "")),
            r.duration("SWITCHBOARD_DRAIN_TIMEOUT", "drain-timeout", Duration.ofSeconds(10)),
            r.bool("SWITCHBOARD_ACCESS_LOG", "access-log", true),
            cluster(r, host, httpPort, dbUrl, keys, !webhookUrl.isBlank() && webhookSecret.isBlank()),
            timeZone(r.string("SWITCHBOARD_TIME_ZONE", "time-zone", "UTC")),
            users(r, httpPort));
    }

    /** {@code SWITCHBOARD_SESSION_TTL}, {@code SWITCHBOARD_ADMIN_USER} and {@code SWITCHBOARD_ADMIN_PASSWORD}. */
    private static Users users(Reader r, int httpPort) {
        Duration ttl = r.duration("SWITCHBOARD_SESSION_TTL", "users.session-ttl", Duration.ofHours(12));
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(30)) > 0) {
            throw new ConfigException("SWITCHBOARD_SESSION_TTL must be between PT1M and P30D, got " + ttl);
        }
        String user = r.string("SWITCHBOARD_ADMIN_USER", "users.admin-user", "").trim();
        String password = r.string("SWITCHBOARD_ADMIN_PASSWORD", "users.admin-password", "");
        if (user.isEmpty() != password.isEmpty()) {
            throw new ConfigException("SWITCHBOARD_ADMIN_USER and SWITCHBOARD_ADMIN_PASSWORD go together: set both "
                + "(the first admin account, created when there is none) or neither");
        }
        Oidc oidc = oidc(r, httpPort);
        if (user.isEmpty()) {
            return new Users(ttl, null, null, oidc);
        }
        user = dev.switchboard.server.users.Accounts.normalize(user);
        String bad = dev.switchboard.server.users.Accounts.usernameProblem(user);
        if (bad != null) {
            throw new ConfigException("SWITCHBOARD_ADMIN_USER " + bad + ", got '" + user + "'");
        }
        bad = dev.switchboard.server.users.Accounts.passwordProblem(password);
        if (bad != null) {
            throw new ConfigException("SWITCHBOARD_ADMIN_PASSWORD " + bad);
        }
        return new Users(ttl, user, password, oidc);
    }

    /** The {@code SWITCHBOARD_OIDC_*} settings: all of issuer, client id and secret, or none. */
    private static Oidc oidc(Reader r, int httpPort) {
        String issuer = r.string("SWITCHBOARD_OIDC_ISSUER", "users.oidc.issuer", "").trim();
        String clientId = r.string("SWITCHBOARD_OIDC_CLIENT_ID", "users.oidc.client-id", "").trim();
        String secret = r.string("SWITCHBOARD_OIDC_CLIENT_SECRET", "users.oidc.client-secret", "");
        if (issuer.isEmpty()) {
            if (!clientId.isEmpty() || !secret.isEmpty()) {
                throw new ConfigException("SWITCHBOARD_OIDC_CLIENT_ID and SWITCHBOARD_OIDC_CLIENT_SECRET need "
                    + "SWITCHBOARD_OIDC_ISSUER (the identity provider's issuer URL)");
            }
            return null;
        }
        httpUrl("SWITCHBOARD_OIDC_ISSUER", issuer);
        if (clientId.isEmpty() || secret.isEmpty()) {
            throw new ConfigException("SWITCHBOARD_OIDC_ISSUER needs SWITCHBOARD_OIDC_CLIENT_ID and "
                + "SWITCHBOARD_OIDC_CLIENT_SECRET (the client registered for Switchboard at the provider)");
        }
        String frontend = r.string("SWITCHBOARD_OIDC_FRONTEND_URL", "users.oidc.frontend-url",
            "http://localhost:" + httpPort).trim();
        httpUrl("SWITCHBOARD_OIDC_FRONTEND_URL", frontend);
        if (frontend.endsWith("/")) {
            frontend = frontend.substring(0, frontend.length() - 1);
        }
        String claim = r.string("SWITCHBOARD_OIDC_USERNAME_CLAIM", "users.oidc.username-claim", "preferred_username").trim();
        if (claim.isEmpty()) {
            throw new ConfigException("SWITCHBOARD_OIDC_USERNAME_CLAIM must name a claim (e.g. preferred_username, email)");
        }
        return new Oidc(issuer, clientId, secret, frontend, claim);
    }

    private static void httpUrl(String name, String value) {
        try {
            java.net.URI u = java.net.URI.create(value);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new ConfigException(name + " must be an http(s) URL, got '" + value + "'");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be an http(s) URL, got '" + value + "'");
        }
    }

    /** {@code SWITCHBOARD_TIME_ZONE}: an IANA zone id ({@code Europe/Madrid}) or an offset ({@code +01:00}). */
    static java.time.ZoneId timeZone(String text) {
        try {
            return java.time.ZoneId.of(text.trim());
        } catch (java.time.DateTimeException e) {
            throw new ConfigException("SWITCHBOARD_TIME_ZONE must be a time zone id such as UTC or America/New_York, got '"
                + text + "'");
        }
    }

    /** The minimum length of {@code SWITCHBOARD_CLUSTER_SECRET}. */
    public static final int MIN_SECRET_LENGTH = 16;

    /** {@code SWITCHBOARD_CLUSTER} and the settings that go with {@code postgres}; {@code null} for {@code off}. */
    private static Cluster cluster(Reader r, String host, int httpPort, String dbUrl, List<ApiKey> keys,
                                   boolean generatedWebhookSecret) {
        String mode = r.string("SWITCHBOARD_CLUSTER", "cluster.mode", "off").trim().toLowerCase(java.util.Locale.ROOT);
        switch (mode) {
            case "off", "" -> {
                return null;
            }
            case "postgres" -> {
            }
            default -> throw new ConfigException("SWITCHBOARD_CLUSTER must be off or postgres, got '" + mode + "'");
        }
        if (!dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("SWITCHBOARD_CLUSTER=postgres needs a PostgreSQL database: set SWITCHBOARD_DB_URL "
                + "to a jdbc:postgresql: URL shared by every node (the embedded database belongs to one process)");
        }
        String secret = r.string("SWITCHBOARD_CLUSTER_SECRET", "cluster.secret", "");
        if (secret.isBlank()) {
            throw new ConfigException("SWITCHBOARD_CLUSTER=postgres needs SWITCHBOARD_CLUSTER_SECRET (the same on every node, at least "
                + MIN_SECRET_LENGTH + " characters): nodes refuse node-to-node calls without it");
        }
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new ConfigException("SWITCHBOARD_CLUSTER_SECRET must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        if (keys.isEmpty()) {
            throw new ConfigException("SWITCHBOARD_CLUSTER=postgres needs SWITCHBOARD_API_KEYS, the same on every node "
                + "(a node must accept the keys a client used on another)");
        }
        if (generatedWebhookSecret) {
            throw new ConfigException("SWITCHBOARD_CLUSTER=postgres with SWITCHBOARD_WEBHOOK_URL needs SWITCHBOARD_WEBHOOK_SECRET, "
                + "the same on every node (a secret generated per node would change with the leader)");
        }
        String advertised = "0.0.0.0".equals(host) ? "localhost" : host;
        String nodeId = r.string("SWITCHBOARD_NODE_ID", "cluster.node-id", "").trim();
        if (nodeId.isEmpty()) {
            nodeId = hostName(advertised) + ":" + httpPort;
        }
        if (nodeId.length() > 64 || !nodeId.matches("[A-Za-z0-9._:-]+")) {
            throw new ConfigException("SWITCHBOARD_NODE_ID must be 1-64 letters, digits, '.', '_', ':' or '-', got '" + nodeId + "'");
        }
        String nodeUrl = r.string("SWITCHBOARD_NODE_URL", "cluster.node-url", "").trim();
        if (nodeUrl.isEmpty()) {
            nodeUrl = "http://" + hostName(advertised) + ":" + httpPort;
        }
        if (!nodeUrl.matches("https?://[^/?#@\\s]+/?")) {
            throw new ConfigException("SWITCHBOARD_NODE_URL must be scheme://host:port (http or https, no path) that the "
                + "other nodes can reach, got '" + nodeUrl + "'");
        }
        if (nodeUrl.endsWith("/")) {
            nodeUrl = nodeUrl.substring(0, nodeUrl.length() - 1);
        }
        Duration lease = r.duration("SWITCHBOARD_LEASE_TIMEOUT", "cluster.lease-timeout", Duration.ofSeconds(5));
        if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException("SWITCHBOARD_LEASE_TIMEOUT must be between PT1S and PT10M, got " + lease);
        }
        return new Cluster(nodeId, nodeUrl, secret, lease);
    }

    /** The host name for the default node id and URL: the bound host, or this machine's name when bound to all. */
    private static String hostName(String advertised) {
        if (!"localhost".equals(advertised)) {
            return advertised;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return advertised;
        }
    }

    /** {@code SWITCHBOARD_RETENTION}: blank keeps everything; else a period (P90D) or a duration (PT12H). */
    static Retention parseRetention(String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        java.time.temporal.TemporalAmount amount;
        try {
            amount = v.toUpperCase(java.util.Locale.ROOT).contains("T") ? Duration.parse(v) : java.time.Period.parse(v);
        } catch (DateTimeParseException e) {
            throw new ConfigException("SWITCHBOARD_RETENTION must be an ISO-8601 period such as P90D, P6M or P1Y "
                + "(or a duration such as PT12H), got '" + value + "'");
        }
        boolean positive = amount instanceof Duration d ? !d.isNegative() && !d.isZero()
            : !((java.time.Period) amount).isNegative() && !((java.time.Period) amount).isZero();
        if (!positive) {
            throw new ConfigException("SWITCHBOARD_RETENTION must be positive, got '" + value + "'");
        }
        return new Retention(v, amount);
    }

    /**
     * {@code SWITCHBOARD_CORS_ORIGINS}: origins as a browser sends them ({@code scheme://host[:port]},
     * http or https, no path, no trailing slash), compared exactly; one that could never match is a
     * startup error rather than a silent refusal of every page.
     */
    static List<String> parseOrigins(String spec) {
        List<String> origins = split(spec);
        for (String o : origins) {
            if (!o.matches("https?://[^/?#@\\s]+") || o.endsWith(":")) {
                throw new ConfigException("SWITCHBOARD_CORS_ORIGINS: each entry must be an origin as browsers send it,"
                    + " scheme://host[:port] with http or https and no path (such as http://dashboard.example:8080), got '"
                    + o + "'");
            }
        }
        return List.copyOf(origins);
    }

    static List<ApiKey> parseKeys(String spec) {
        List<ApiKey> keys = new ArrayList<>();
        for (String item : split(spec)) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0 || colon == item.length() - 1) {
                throw new ConfigException("SWITCHBOARD_API_KEYS: each entry must be key:role (roles ingest, supervisor, admin)");
            }
            String key = item.substring(0, colon).trim();
            ApiKey.Role role;
            try {
                role = ApiKey.Role.parse(item.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("SWITCHBOARD_API_KEYS: " + e.getMessage());
            }
            if (key.length() < ApiKey.MIN_KEY_LENGTH) {
                throw new ConfigException("SWITCHBOARD_API_KEYS: keys must be at least " + ApiKey.MIN_KEY_LENGTH
                    + " characters (one " + role.wireName() + " key is shorter)");
            }
            if (keys.stream().anyMatch(k -> k.key().equals(key))) {
                throw new ConfigException("SWITCHBOARD_API_KEYS: a key is listed twice");
            }
            keys.add(new ApiKey(key, role));
        }
        return List.copyOf(keys);
    }

    static List<QueueConfig> parseQueues(Config node, Thresholds defaults) {
        List<QueueConfig> queues = new ArrayList<>();
        if (!node.exists()) {
            return queues;
        }
        Map<String, QueueConfig> seen = new LinkedHashMap<>();
        for (Config q : node.asNodeList().orElse(List.of())) {
            String id = q.get("id").asString().orElseThrow(() -> new ConfigException("switchboard.queues: a queue has no id"));
            Thresholds t = defaults;
            if (q.get("sla-max-wait").exists()) {
                t = t.withSlaMaxWait(parseDuration("switchboard.queues." + id + ".sla-max-wait", q.get("sla-max-wait").asString().get()));
            }
            if (q.get("ring-timeout").exists()) {
                t = t.withRingTimeout(parseDuration("switchboard.queues." + id + ".ring-timeout", q.get("ring-timeout").asString().get()));
            }
            if (q.get("max-hold").exists()) {
                t = t.withMaxHold(parseDuration("switchboard.queues." + id + ".max-hold", q.get("max-hold").asString().get()));
            }
            if (q.get("short-call").exists()) {
                t = t.withShortCall(parseDuration("switchboard.queues." + id + ".short-call", q.get("short-call").asString().get()));
            }
            if (q.get("wrap-up").exists()) {
                t = t.withWrapUp(parseDurationOrZero("switchboard.queues." + id + ".wrap-up", q.get("wrap-up").asString().get()));
            }
            if (q.get("short-abandon").exists()) {
                t = t.withShortAbandon(parseDurationOrZero("switchboard.queues." + id + ".short-abandon",
                    q.get("short-abandon").asString().get()));
            }
            if (q.get("sl-target").exists()) {
                t = t.withSlTarget(parseFraction("switchboard.queues." + id + ".sl-target", q.get("sl-target").asString().get()));
            }
            List<String> agents = q.get("agents").asList(String.class).orElse(List.of());
            QueueConfig qc = new QueueConfig(id, q.get("name").asString().orElse(id), agents, t);
            if (seen.put(id, qc) != null) {
                throw new ConfigException("switchboard.queues: queue '" + id + "' is configured twice");
            }
        }
        queues.addAll(seen.values());
        return queues;
    }

    static Duration parseDuration(String name, String value) {
        try {
            Duration d = Duration.parse(value.trim());
            if (d.isNegative() || d.isZero()) {
                throw new ConfigException(name + " must be a positive ISO-8601 duration, got '" + value + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(name + " must be an ISO-8601 duration such as PT30S or PT1.5S, got '" + value + "'");
        }
    }

    /** A duration that may be zero ({@code PT0S}: no wrap-up). */
    static Duration parseDurationOrZero(String name, String value) {
        try {
            Duration d = Duration.parse(value.trim());
            if (d.isNegative()) {
                throw new ConfigException(name + " must be an ISO-8601 duration of zero or more, got '" + value + "'");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new ConfigException(name + " must be an ISO-8601 duration such as PT30S or PT0S, got '" + value + "'");
        }
    }

    /** A fraction from 0 to 1 ({@code 0.8} is 80 %). */
    static double parseFraction(String name, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (!(d >= 0 && d <= 1)) {
                throw new ConfigException(name + " must be a fraction from 0 to 1 (0.8 is 80 %), got '" + value + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a fraction from 0 to 1 (0.8 is 80 %), got '" + value + "'");
        }
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** Env first, then yaml, then default. */
    private record Reader(Map<String, String> env, Config yaml) {
        String string(String envName, String key, String dflt) {
            String v = env.get(envName);
            if (v != null) {
                return v;
            }
            return yaml.get(key).asString().orElse(dflt);
        }

        <T> T parsed(String envName, String key, T dflt, Function<String, T> parse) {
            String v = string(envName, key, null);
            return v == null ? dflt : parse.apply(v);
        }

        int integer(String envName, String key, int dflt, int min, int max) {
            return parsed(envName, key, dflt, v -> {
                try {
                    int n = Integer.parseInt(v.trim());
                    if (n < min || n > max) {
                        throw new ConfigException(envName + " must be between " + min + " and " + max + ", got " + n);
                    }
                    return n;
                } catch (NumberFormatException e) {
                    throw new ConfigException(envName + " must be a whole number, got '" + v + "'");
                }
            });
        }

        boolean bool(String envName, String key, boolean dflt) {
            return parsed(envName, key, dflt, v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new ConfigException(envName + " must be true or false, got '" + v + "'");
            });
        }

        int port(String envName, String key, int dflt) {
            return integer(envName, key, dflt, 0, 65535);
        }

        Duration duration(String envName, String key, Duration dflt) {
            return parsed(envName, key, dflt, v -> parseDuration(envName, v));
        }

        Duration durationOrZero(String envName, String key, Duration dflt) {
            return parsed(envName, key, dflt, v -> parseDurationOrZero(envName, v));
        }

        double fraction(String envName, String key, double dflt) {
            return parsed(envName, key, dflt, v -> parseFraction(envName, v));
        }
    }
}
