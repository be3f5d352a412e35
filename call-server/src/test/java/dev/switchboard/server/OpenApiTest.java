package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OpenAPI document is served, parses, and every operation it names is a real route. */
class OpenApiTest extends ServerTests {

    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
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
                HttpResponse<String> r = switch (method) {
                    case "get" -> server.get(path, TestServer.ADMIN_KEY);
                    case "delete" -> server.delete(path, TestServer.ADMIN_KEY);
                    default -> server.post(path, TestServer.ADMIN_KEY, "application/json", "{}");
                };
                // an unrouted path answers 404 with Helidon's plain body; our 404s are problem+json
                if (r.statusCode() == 404) {
                    assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""),
                        method + " " + p.getKey() + " is documented but not routed");
                }
                assertNotEquals(405, r.statusCode(), method + " " + p.getKey());
                operations++;
            }
        }
        assertTrue(operations >= 20, "operations: " + operations);
    }

    /** The other way round: every route the code registers is in the document (read from the sources). */
    @Test
    void everyRegisteredRouteIsDocumented() throws Exception {
        java.nio.file.Path src = java.nio.file.Path.of("src/main/java/dev/switchboard/server");
        String wiring = java.nio.file.Files.readString(src.resolve("Switchboard.java"));
        java.util.Set<String> routes = new java.util.TreeSet<>();
        java.util.regex.Pattern route = java.util.regex.Pattern.compile("\\.(get|post|delete|put)\\(\"(/[^\"]*)\"");
        java.util.regex.Matcher services = java.util.regex.Pattern
            .compile("register\\(\"(/[^\"]*)\", new (\\w+)\\(").matcher(wiring);
        while (services.find()) {
            String prefix = services.group(1);
            String code = java.nio.file.Files.readString(source(src, services.group(2)));
            int start = code.indexOf("public void routing(");
            String body = code.substring(start, code.indexOf("\n    }\n", start));
            java.util.regex.Matcher r = route.matcher(body);
            while (r.find()) {
                String path = r.group(2).equals("/") ? prefix : prefix + r.group(2);
                routes.add(r.group(1) + " " + path);
            }
        }
        int start = wiring.indexOf("static void routing(");
        java.util.regex.Matcher direct = route.matcher(wiring.substring(start, wiring.indexOf("StaticContentService", start)));
        while (direct.find()) {
            routes.add(direct.group(1) + " " + direct.group(2));
        }
        JsonNode api = new ObjectMapper(new YAMLFactory()).readTree(server.get("/api/openapi.yaml", null).body());
        java.util.Set<String> documented = new java.util.TreeSet<>();
        api.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
            .forEachRemaining(method -> documented.add(method + " " + p.getKey())));
        assertTrue(routes.size() >= 17, "routes read from the code: " + routes);
        java.util.Set<String> undocumented = new java.util.TreeSet<>(routes);
        undocumented.removeAll(documented);
        assertEquals(java.util.Set.of(), undocumented, "registered but not in openapi.yaml");
    }

    /** The source file of a service class, in whichever package it lives (http, reports ...). */
    private static java.nio.file.Path source(java.nio.file.Path src, String className) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(src)) {
            return files.filter(f -> f.getFileName().toString().equals(className + ".java")).findFirst()
                .orElseThrow(() -> new AssertionError("no source of " + className + " under " + src));
        }
    }

    @Test
    void healthAndMetricsAreObservable() {
        HttpResponse<String> ready = server.get("/observe/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals(200, server.get("/observe/health/live", null).statusCode());
        assertTrue(server.get("/observe/health", null).body().contains("database"));
        server.postEvent(Events.initiated("m1", "metrics-1", "medical_spanish"));
        server.postEvent("{\"type\":\"nope\"}");
        String metrics = server.get("/metrics", null).body();
        assertTrue(metrics.contains("switchboard_events_accepted_total{type=\"call_initiated\",} 1.0"), metrics);
        assertTrue(metrics.contains("switchboard_events_rejected_total{reason=\"invalid\",} 1.0"));
        assertTrue(metrics.contains("switchboard_calls{queue=\"medical_spanish\",status=\"waiting\",} 1.0"));
        assertTrue(metrics.contains("switchboard_ingest_latency_seconds_bucket"));
        assertTrue(metrics.contains("hikaricp_connections_active"));
        assertTrue(metrics.contains("switchboard_socket_clients"));
        assertTrue(metrics.contains("switchboard_outbox_backlog"));
        assertTrue(metrics.contains("switchboard_alerts_open"));
    }
}
