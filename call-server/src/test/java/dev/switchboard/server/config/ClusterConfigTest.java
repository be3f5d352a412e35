package dev.switchboard.server.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code SWITCHBOARD_CLUSTER} and its settings: validated at startup, each refusal naming what to fix. */
class ClusterConfigTest {

    private static final Config EMPTY = Config.just(ConfigSources.create(Map.of())).get("switchboard");

    private static Map<String, String> cluster() {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_CLUSTER", "postgres");
        env.put("SWITCHBOARD_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        env.put("SWITCHBOARD_CLUSTER_SECRET", "0123456789abcdef");
        env.put("SWITCHBOARD_API_KEYS", "ingest-key-0123456789:ingest");
        env.put("SWITCHBOARD_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_HTTP_PORT", "8090");
        return env;
    }

    private static String refusal(Map<String, String> env) {
        return assertThrows(ServerConfig.ConfigException.class, () -> ServerConfig.load(env, EMPTY)).getMessage();
    }

    @Test
    void offByDefault() {
        assertNull(ServerConfig.load(Map.of(), EMPTY).cluster());
        assertNull(ServerConfig.load(Map.of("SWITCHBOARD_CLUSTER", "off"), EMPTY).cluster());
    }

    @Test
    void postgresModeWithDefaults() {
        ServerConfig c = ServerConfig.load(cluster(), EMPTY);
        assertTrue(c.clustered());
        assertEquals("127.0.0.1:8090", c.cluster().nodeId());
        assertEquals("http://127.0.0.1:8090", c.cluster().nodeUrl());
        assertEquals(java.time.Duration.ofSeconds(5), c.cluster().leaseTimeout());
        assertTrue(!c.cluster().toString().contains("0123456789abcdef"), "the secret is never printed");
    }

    @Test
    void theEmbeddedDatabaseCannotBeShared() {
        Map<String, String> env = cluster();
        env.remove("SWITCHBOARD_DB_URL");
        assertTrue(refusal(env).contains("needs a PostgreSQL database"));
    }

    @Test
    void refusals() {
        Map<String, String> env = cluster();
        env.put("SWITCHBOARD_CLUSTER", "redis");
        assertTrue(refusal(env).contains("must be off or postgres"));
        env = cluster();
        env.remove("SWITCHBOARD_CLUSTER_SECRET");
        assertTrue(refusal(env).contains("needs SWITCHBOARD_CLUSTER_SECRET"));
        env = cluster();
        env.put("SWITCHBOARD_CLUSTER_SECRET", "short");
        assertTrue(refusal(env).contains("at least 16"));
        env = cluster();
        env.remove("SWITCHBOARD_API_KEYS");
        assertTrue(refusal(env).contains("needs SWITCHBOARD_API_KEYS"));
        env = cluster();
        env.put("SWITCHBOARD_NODE_URL", "node1:8080");
        assertTrue(refusal(env).contains("SWITCHBOARD_NODE_URL"));
        env = cluster();
        env.put("SWITCHBOARD_NODE_ID", "node one");
        assertTrue(refusal(env).contains("SWITCHBOARD_NODE_ID"));
        env = cluster();
        env.put("SWITCHBOARD_WEBHOOK_URL", "https://crm.example/hook");
        assertTrue(refusal(env).contains("needs SWITCHBOARD_WEBHOOK_SECRET"));
        env.put("SWITCHBOARD_WEBHOOK_SECRET", "whsec_shared_0123456789");
        assertEquals("https://crm.example/hook", ServerConfig.load(env, EMPTY).webhookUrl());
        env = cluster();
        env.put("SWITCHBOARD_LEASE_TIMEOUT", "PT0.2S");
        assertTrue(refusal(env).contains("between PT1S and PT10M"));
    }
}
