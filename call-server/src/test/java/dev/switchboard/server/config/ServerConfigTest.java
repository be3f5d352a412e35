package dev.switchboard.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {

    private static final Config YAML = Config.builder()
        .addSource(ConfigSources.classpath("application.yaml"))
        .disableEnvironmentVariablesSource()
        .disableSystemPropertiesSource()
        .build()
        .get("switchboard");

    private static ServerConfig load(Map<String, String> env) {
        return ServerConfig.load(env, YAML);
    }

    @Test
    void socketOriginsDefaultToTheDashboardsOwnAndAConfiguredListMustBeOrigins() {
        assertEquals(java.util.List.of(), load(Map.of()).corsOrigins(), "unset: the dashboard's own origin");
        assertEquals(java.util.List.of(), load(Map.of("SWITCHBOARD_CORS_ORIGINS", " ")).corsOrigins());
        assertEquals(java.util.List.of("http://a.example:8080", "https://b.example", "http://[::1]:8080"),
            load(Map.of("SWITCHBOARD_CORS_ORIGINS", "http://a.example:8080, https://b.example,http://[::1]:8080")).corsOrigins());
        for (String bad : java.util.List.of("http://a.example/", "a.example", "ftp://a.example", "http://a.example:8080/x", "*",
            "http://a.example:")) {
            ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class,
                () -> load(Map.of("SWITCHBOARD_CORS_ORIGINS", bad)), bad);
            assertTrue(e.getMessage().startsWith("SWITCHBOARD_CORS_ORIGINS"), e.getMessage());
        }
    }

    @Test
    void defaultsComeFromApplicationYaml() {
        ServerConfig c = load(Map.of());
        assertEquals(8080, c.httpPort());
        assertEquals(8081, c.socketPort());
        assertTrue(c.embeddedDb());
        assertEquals(Duration.ofSeconds(30), c.thresholds().slaMaxWait());
        assertEquals(3, c.queues().size());
        assertEquals("medical_spanish", c.queues().get(0).id());
        assertEquals(Duration.ofSeconds(45), c.queues().get(2).thresholds().slaMaxWait());
        assertTrue(c.apiKeys().isEmpty());
    }

    @Test
    void environmentVariablesOverrideEverySetting() {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_HTTP_PORT", "9090");
        env.put("SWITCHBOARD_SOCKET_PORT", "9091");
        env.put("SWITCHBOARD_DB_URL", "jdbc:postgresql://db:5432/switchboard");
        env.put("SWITCHBOARD_DB_USER", "sb");
        env.put("SWITCHBOARD_DB_PASSWORD", "secret");
        env.put("SWITCHBOARD_API_KEYS", "aaaaaaaaaaaaaaaa:admin,bbbbbbbbbbbbbbbb:ingest,cccccccccccccccc:supervisor");
        env.put("SWITCHBOARD_SLA_MAX_WAIT", "PT20S");
        env.put("SWITCHBOARD_RING_TIMEOUT", "PT1.5S");
        env.put("SWITCHBOARD_MAX_HOLD", "PT2M");
        env.put("SWITCHBOARD_SHORT_CALL", "PT5S");
        env.put("SWITCHBOARD_WEBHOOK_URL", "http://127.0.0.1:9999/hook");
        env.put("SWITCHBOARD_WEBHOOK_SECRET", "s3cret");
        ServerConfig c = load(env);
        assertEquals(9090, c.httpPort());
        assertFalse(c.embeddedDb());
        assertEquals("sb", c.dbUser());
        assertEquals(3, c.apiKeys().size());
        assertEquals(ApiKey.Role.INGEST, c.apiKeys().get(1).role());
        assertEquals(Duration.ofMillis(1500), c.thresholds().ringTimeout());
        assertEquals(Duration.ofMinutes(2), c.thresholds().maxHold());
        assertEquals(Duration.ofSeconds(20), c.queues().get(0).thresholds().slaMaxWait(), "env defaults flow to queues");
        assertEquals("http://127.0.0.1:9999/hook", c.webhookUrl());
        assertFalse(load(Map.of()).socketCompression(), "off by default");
        assertTrue(load(Map.of("SWITCHBOARD_SOCKET_COMPRESSION", "true")).socketCompression());
        assertEquals(Duration.ofSeconds(30), load(Map.of()).socketWriteTimeout());
        assertEquals(Duration.ofSeconds(5), load(Map.of("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "PT5S")).socketWriteTimeout());
    }

    @Test
    void aBadSettingFailsFastNamingTheVariable() {
        assertMessage("SWITCHBOARD_SLA_MAX_WAIT", Map.of("SWITCHBOARD_SLA_MAX_WAIT", "30s"));
        assertMessage("SWITCHBOARD_RING_TIMEOUT", Map.of("SWITCHBOARD_RING_TIMEOUT", "PT0S"));
        assertMessage("SWITCHBOARD_HTTP_PORT", Map.of("SWITCHBOARD_HTTP_PORT", "eighty"));
        assertMessage("SWITCHBOARD_HTTP_PORT", Map.of("SWITCHBOARD_HTTP_PORT", "70000"));
        assertMessage("SWITCHBOARD_API_KEYS", Map.of("SWITCHBOARD_API_KEYS", "aaaaaaaaaaaaaaaa:root"));
        assertMessage("SWITCHBOARD_API_KEYS", Map.of("SWITCHBOARD_API_KEYS", "short:admin"));
        assertMessage("SWITCHBOARD_API_KEYS", Map.of("SWITCHBOARD_API_KEYS", "nocolon"));
        assertMessage("SWITCHBOARD_DB_URL", Map.of("SWITCHBOARD_DB_URL", "mysql://x"));
        assertMessage("must differ", Map.of("SWITCHBOARD_HTTP_PORT", "8000", "SWITCHBOARD_SOCKET_PORT", "8000"));
        assertMessage("SWITCHBOARD_SOCKET_COMPRESSION", Map.of("SWITCHBOARD_SOCKET_COMPRESSION", "maybe"));
        assertMessage("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", Map.of("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "30"));
        assertMessage("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", Map.of("SWITCHBOARD_SOCKET_WRITE_TIMEOUT", "PT0.01S"));
        assertMessage("SWITCHBOARD_WEBHOOK_URL", Map.of("SWITCHBOARD_WEBHOOK_URL", "ftp://x"));
    }

    @Test
    void keysAreComparedWholeAndNeverPrinted() {
        ApiKey k = new ApiKey("aaaaaaaaaaaaaaaa", ApiKey.Role.ADMIN);
        assertTrue(k.matches("aaaaaaaaaaaaaaaa"));
        assertFalse(k.matches("aaaaaaaaaaaaaaa"));
        assertFalse(k.matches(null));
        assertFalse(k.toString().contains("aaaa"));
    }

    @Test
    void theFirstAdminAndTheSessionLengthAreCheckedAtStartAndThePasswordNeverPrinted() {
        ServerConfig.Users none = load(Map.of()).users();
        assertEquals(Duration.ofHours(12), none.sessionTtl());
        assertEquals(null, none.adminUser());
        ServerConfig.Users set = load(Map.of("SWITCHBOARD_ADMIN_USER", " Chief ", "SWITCHBOARD_ADMIN_PASSWORD",
            "a long enough secret", "SWITCHBOARD_SESSION_TTL", "PT8H")).users();
        assertEquals("chief", set.adminUser());
        assertEquals(Duration.ofHours(8), set.sessionTtl());
        assertFalse(set.toString().contains("secret"), set.toString());
        assertFalse(load(Map.of("SWITCHBOARD_ADMIN_USER", "chief", "SWITCHBOARD_ADMIN_PASSWORD", "a long enough secret"))
            .toString().contains("secret"));
        assertMessage("go together", Map.of("SWITCHBOARD_ADMIN_USER", "chief"));
        assertMessage("go together", Map.of("SWITCHBOARD_ADMIN_PASSWORD", "a long enough secret"));
        assertMessage("SWITCHBOARD_ADMIN_PASSWORD must be at least 12", Map.of("SWITCHBOARD_ADMIN_USER", "chief",
            "SWITCHBOARD_ADMIN_PASSWORD", "short"));
        assertMessage("SWITCHBOARD_ADMIN_USER must be", Map.of("SWITCHBOARD_ADMIN_USER", "key:chief",
            "SWITCHBOARD_ADMIN_PASSWORD", "a long enough secret"));
        assertMessage("SWITCHBOARD_SESSION_TTL", Map.of("SWITCHBOARD_SESSION_TTL", "PT10S"));
        assertMessage("SWITCHBOARD_SESSION_TTL", Map.of("SWITCHBOARD_SESSION_TTL", "P60D"));
    }

    @Test
    void oidcNeedsIssuerClientAndSecretTogetherAndNeverPrintsTheSecret() {
        assertEquals(null, load(Map.of()).users().oidc(), "off unless an issuer is set");
        ServerConfig.Oidc oidc = load(Map.of("SWITCHBOARD_HTTP_PORT", "8090",
            "SWITCHBOARD_OIDC_ISSUER", "https://login.example.org/realms/center",
            "SWITCHBOARD_OIDC_CLIENT_ID", "switchboard", "SWITCHBOARD_OIDC_CLIENT_SECRET", "s3cr3t-of-the-client")).users().oidc();
        assertEquals("https://login.example.org/realms/center", oidc.issuer());
        assertEquals("http://localhost:8090", oidc.frontendUrl(), "browsers reach this port by default");
        assertEquals("preferred_username", oidc.usernameClaim());
        assertFalse(oidc.toString().contains("s3cr3t"), oidc.toString());
        assertEquals("https://switchboard.example.org", load(Map.of("SWITCHBOARD_OIDC_ISSUER", "https://idp.example/",
            "SWITCHBOARD_OIDC_CLIENT_ID", "sb", "SWITCHBOARD_OIDC_CLIENT_SECRET", "x",
            "SWITCHBOARD_OIDC_FRONTEND_URL", "https://switchboard.example.org/")).users().oidc().frontendUrl());
        assertMessage("needs SWITCHBOARD_OIDC_CLIENT_ID and SWITCHBOARD_OIDC_CLIENT_SECRET",
            Map.of("SWITCHBOARD_OIDC_ISSUER", "https://idp.example/"));
        assertMessage("need SWITCHBOARD_OIDC_ISSUER", Map.of("SWITCHBOARD_OIDC_CLIENT_ID", "sb"));
        assertMessage("SWITCHBOARD_OIDC_ISSUER must be an http(s) URL", Map.of("SWITCHBOARD_OIDC_ISSUER", "idp.example",
            "SWITCHBOARD_OIDC_CLIENT_ID", "sb", "SWITCHBOARD_OIDC_CLIENT_SECRET", "x"));
        assertMessage("SWITCHBOARD_OIDC_FRONTEND_URL must be an http(s) URL", Map.of("SWITCHBOARD_OIDC_ISSUER",
            "https://idp.example/", "SWITCHBOARD_OIDC_CLIENT_ID", "sb", "SWITCHBOARD_OIDC_CLIENT_SECRET", "x",
            "SWITCHBOARD_OIDC_FRONTEND_URL", "ftp://x"));
    }

    private static void assertMessage(String expected, Map<String, String> env) {
        ServerConfig.ConfigException e = assertThrows(ServerConfig.ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
