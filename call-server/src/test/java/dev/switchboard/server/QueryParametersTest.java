package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query parameter a route does not take is a 400 naming it, on every route the OpenAPI
 * document lists (which {@link OpenApiTest} keeps equal to the routes registered); every query
 * parameter the document lists for a route is taken by it.
 */
class QueryParametersTest extends ServerTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    TestServer.Backend backend() {
        return TestServer.Backend.H2;
    }

    /**
     * One documented operation, with the query parameters the document gives it.
     *
     * @param required those of them the document marks required (sent with every request)
     */
    record Operation(String method, String path, List<String> query, List<String> required) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " " + query;
        }
    }

    List<Operation> operations() throws IOException {
        JsonNode api;
        try (InputStream in = QueryParametersTest.class.getResourceAsStream("/openapi.yaml")) {
            api = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<Operation> out = new ArrayList<>();
        api.path("paths").fields().forEachRemaining(p -> {
            if (p.getKey().startsWith("/observe/")) {
                return;   // Helidon's health endpoints, not ours
            }
            if (p.getKey().startsWith("/auth/oidc")) {
                // the OpenID Connect protocol's pages: identity providers add parameters of their own to
                // their redirects (session_state, iss ...), Helidon its h_ra; OidcTests covers them
                return;
            }
            p.getValue().fields().forEachRemaining(op -> {
                List<String> query = new ArrayList<>();
                List<String> required = new ArrayList<>();
                op.getValue().path("parameters").forEach(param -> {
                    if ("query".equals(param.path("in").asText())) {
                        query.add(param.path("name").asText());
                        if (param.path("required").asBoolean()) {
                            required.add(param.path("name").asText());
                        }
                    }
                });
                out.add(new Operation(op.getKey(), p.getKey(), query, required));
            });
        });
        assertTrue(out.size() >= 17, "operations: " + out);
        return out;
    }

    private HttpResponse<String> send(Operation op, String query) {
        String target = op.path().replace("{id}", "nonexistent-id") + query;
        return switch (op.method()) {
            case "get" -> server.get(target, TestServer.ADMIN_KEY);
            case "delete" -> server.delete(target, TestServer.ADMIN_KEY);
            case "put" -> server.put(target, TestServer.ADMIN_KEY, "{}");
            default -> server.post(target, TestServer.ADMIN_KEY, "application/json", "{}");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void anUnknownQueryParameterIsA400NamingIt(Operation op) throws Exception {
        HttpResponse<String> r = send(op, "?sb_unknown=1");
        assertEquals(400, r.statusCode(), op + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode errors = JSON.readTree(r.body()).path("errors");
        assertEquals(1, errors.size(), r.body());
        assertEquals("sb_unknown", errors.get(0).path("field").asText());
        String allowed = op.query().isEmpty() ? "none" : String.join(", ", op.query());
        assertEquals("unknown query parameter; allowed: " + allowed, errors.get(0).path("message").asText(),
            "the route takes what the document says it takes");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void everyDocumentedQueryParameterIsTaken(Operation op) {
        for (String name : op.query()) {
            StringBuilder query = new StringBuilder("?" + name + "=" + VALID.getOrDefault(name, "x"));
            for (String needed : op.required()) {
                if (!needed.equals(name)) {
                    query.append('&').append(needed).append('=').append(VALID.getOrDefault(needed, "x"));
                }
            }
            HttpResponse<String> r = send(op, query.toString());
            assertFalse(r.body().contains("unknown query parameter"), op + " ?" + name + ": " + r.body());
            assertTrue(r.statusCode() < 400 || r.statusCode() == 404, op + " ?" + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    private static final Map<String, String> VALID = Map.ofEntries(Map.entry("status", "active,on_hold"),
        Map.entry("queue", "medical_spanish"), Map.entry("agent", "ana_garcia"), Map.entry("limit", "10"),
        Map.entry("cursor", ""), Map.entry("open", "true"), Map.entry("state", "dead"),
        Map.entry("from", "2026-12-01T00:00:00Z"), Map.entry("to", "2026-12-02T00:00:00Z"), Map.entry("flag", "review"),
        Map.entry("end_reason", "completed"), Map.entry("q", "c"), Map.entry("interval", "PT1H"),
        Map.entry("format", "csv"));

    @Test
    void callsRefusesFiltersItDoesNotHaveInsteadOfIgnoringThem() throws Exception {
        HttpResponse<String> r = server.get("/api/calls?since=2026-11-01T00:00:00Z&until=2026-11-02T00:00:00Z&status=active");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        List<String> fields = new ArrayList<>();
        body.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertEquals(java.util.Set.of("since", "until"), java.util.Set.copyOf(fields));
        assertEquals("unknown query parameter; allowed: status, queue, agent, from, to, flag, end_reason, q, limit, cursor",
            body.path("errors").get(0).path("message").asText());
        assertTrue(body.path("detail").asText().contains("'since'") && body.path("detail").asText().contains("'until'"),
            body.path("detail").asText());
        // a parameter of another route is unknown here too; known ones still filter
        assertEquals(400, server.get("/api/calls?open=true").statusCode());
        HttpResponse<String> ok = server.get("/api/calls?status=active,on_hold&queue=medical_spanish&agent=ana_garcia&limit=5&cursor=");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(200, server.get("/api/alerts?open=true&limit=3").statusCode());
        // no parameter at all, an empty query and a trailing & are no parameter
        assertEquals(200, server.get("/api/calls").statusCode());
        assertEquals(200, server.get("/api/calls?").statusCode());
        assertEquals(200, server.get("/api/calls?limit=5&").statusCode());
    }

    @Test
    void aKeyIsCheckedBeforeTheParameters() {
        assertEquals(401, server.get("/api/calls?from=x", null).statusCode());
        assertEquals(403, server.get("/api/webhooks?from=x", TestServer.SUPERVISOR_KEY).statusCode());
    }
}
