package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document is served, parses, and every operation it names is a real route. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {

    TestServer server;

    @BeforeAll
    void start() {
        server = TestServer.start(TestServer.Backend.H2);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void everyDocumentedOperationIsRouted() throws Exception {
        HttpResponse<String> doc = server.get("/api/openapi.yaml", null);
        assertEquals(200, doc.statusCode());
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(doc.body());
        assertEquals("3.1.0", api.path("openapi").asText());
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            String path = p.getKey().replace("{id}", "nonexistent-id");
            for (Iterator<String> methods = p.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next();
                HttpResponse<String> r = method.equals("get")
                    ? server.get(path, TestServer.ADMIN_KEY)
                    : server.post(path, TestServer.ADMIN_KEY, "application/json", "{}");
                // an unrouted path answers 404 with Helidon's plain body; our 404s are problem+json
                if (r.statusCode() == 404) {
                    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""),
                        method + " " + p.getKey() + " is documented but not routed");
                }
                assertNotEquals(405, r.statusCode(), method + " " + p.getKey());
                operations++;
            }
        }
        assertTrue(operations >= 12, "operations: " + operations);
    }
}
