package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.server.LifecycleTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sign-in through an identity provider: a real OpenID Connect provider (mock-oauth2-server, with
 * discovery, signed tokens and its keys) runs in the test; the server's Helidon OIDC provider sends
 * a browser (an HTTP client with a cookie jar that follows each redirect by hand) through the
 * authorization code flow, and the end is an ordinary Switchboard session: Bearer on REST, the
 * token on Socket.io, audited, named in the log. Unknown and disabled accounts are refused.
 */
abstract class OidcTests {

    abstract TestServer.Backend backend();

    private static final String PASSWORD = "correct horse battery";
    private MockOAuth2Server idp;
    private TestServer server;
    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        int port = TestServer.freePort();
        server = TestServer.start(backend(), Map.of(
            "SWITCHBOARD_HTTP_PORT", String.valueOf(port),
            "SWITCHBOARD_OIDC_ISSUER", idp.issuerUrl("center").toString(),
            "SWITCHBOARD_OIDC_CLIENT_ID", "switchboard",
            "SWITCHBOARD_OIDC_CLIENT_SECRET", "a-client-secret-of-the-provider",
            "SWITCHBOARD_OIDC_FRONTEND_URL", "http://127.0.0.1:" + port));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (idp != null) {
            idp.shutdown();
        }
    }

    /** The provider will say the next sign-in is {@code username}. */
    private void nextSignInIs(String username) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("center", "sub-" + username, "JWT", List.of("switchboard"),
            Map.of("preferred_username", username, "name", "Someone " + username), 3600));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the sign-in and follows every redirect, as a browser would; the last Location (on the dashboard). */
    private String signInThroughTheProvider(List<String> hops) throws Exception {
        return signInThroughTheProvider("/auth/oidc", "/", hops);
    }

    private String signInThroughTheProvider(String start, String page, List<String> hops) throws Exception {
        String url = server.baseUrl() + start;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = get(url);
            hops.add(r.statusCode() + " " + url);
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() / 100 != 3 || location == null) {
                throw new AssertionError("the flow stopped at " + hops + ": " + r.body());
            }
            URI next = URI.create(url).resolve(location);
            if (next.getRawFragment() != null) {
                assertEquals(page, next.getPath(), "back to the page the sign-in started from: " + hops);
                return next.getRawFragment();
            }
            url = next.toString();
        }
        throw new AssertionError("too many redirects: " + hops);
    }

    private static String fragment(String raw, String name) {
        assertTrue(raw.startsWith(name + "="), raw);
        return URLDecoder.decode(raw.substring(name.length() + 1), StandardCharsets.UTF_8);
    }

    @Test
    void anAccountSignsInThroughTheProviderAndGetsAnOrdinarySession() throws Exception {
        JsonNode methods = json(get(server.baseUrl() + "/auth/methods"));
        assertTrue(methods.path("oidc").asBoolean());
        assertEquals("/auth/oidc", methods.path("oidc_path").asText());
        assertEquals(201, server.post("/api/users", TestServer.ADMIN_KEY, "application/json",
            "{\"username\":\"cleo\",\"password\":\"" + PASSWORD + "\",\"role\":\"supervisor\"}").statusCode());

        nextSignInIs("Cleo");
        List<String> hops = new ArrayList<>();
        String token = fragment(signInThroughTheProvider(hops), "session");
        // through the provider's login and back through Helidon's redirect endpoint
        assertTrue(hops.stream().anyMatch(h -> h.contains(idp.authorizationEndpointUrl("center").encodedPath())), hops.toString());
        assertTrue(hops.stream().anyMatch(h -> h.contains("/auth/oidc/redirect?")), hops.toString());
        assertTrue(token.startsWith("sbs_"), token);

        HttpResponse<String> me = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/session"))
            .header("Authorization", "Bearer " + token).GET().build());
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("cleo", json(me).path("user").path("username").asText(), "the account the provider named");
        assertEquals("supervisor", json(me).path("user").path("role").asText(), "the account's role");

        // the session is like any other: it acts under the name, and the audit says how it signed in
        HttpResponse<String> presence = server.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/api/agents/ana/presence")).header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"not_ready\",\"reason\":\"training\"}")).build());
        assertEquals(200, presence.statusCode(), presence.body());
        JsonNode audit = json(server.get("/api/users/signins?username=cleo", TestServer.ADMIN_KEY));
        assertTrue(audit.get(0).path("success").asBoolean(), audit.toString());
        assertEquals("oidc", audit.get(0).path("reason").asText(), audit.toString());
        try (SocketClient socket = SocketClient.withAuth(server, token)) {
            assertTrue(socket.await("connect", 5_000), "the token signs in on Socket.io: " + socket.errors);
        }
        // the provider's own cookie was cleared once the session stood: a second visit asks the provider
        // again; started from the wall, it ends on the wall (and never on another site)
        nextSignInIs("cleo");
        List<String> again = new ArrayList<>();
        String second = fragment(signInThroughTheProvider("/auth/oidc?return=/wall", "/wall", again), "session");
        assertFalse(second.equals(token));
        assertTrue(again.stream().anyMatch(h -> h.contains(idp.authorizationEndpointUrl("center").encodedPath())), again.toString());
    }

    @Test
    void unknownAndDisabledAccountsAreRefusedWithAReasonTheDashboardShows() throws Exception {
        nextSignInIs("stranger");
        String refused = fragment(signInThroughTheProvider("/auth/oidc?return=https://evil.example/", "/",
            new ArrayList<>()), "signin_error");
        assertTrue(refused.contains("no such account") && refused.contains("stranger"), refused);

        assertEquals(201, server.post("/api/users", TestServer.ADMIN_KEY, "application/json",
            "{\"username\":\"dina\",\"password\":\"" + PASSWORD + "\",\"role\":\"admin\"}").statusCode());
        assertEquals(200, server.post("/api/users/dina/disable", TestServer.ADMIN_KEY, null, "").statusCode());
        nextSignInIs("dina");
        String disabled = fragment(signInThroughTheProvider(new ArrayList<>()), "signin_error");
        assertTrue(disabled.contains("disabled"), disabled);

        List<String> reasons = new ArrayList<>();
        json(server.get("/api/users/signins", TestServer.ADMIN_KEY)).forEach(a -> reasons.add(
            a.path("username").asText() + ":" + a.path("success").asBoolean() + ":" + a.path("reason").asText()));
        assertTrue(reasons.contains("stranger:false:unknown_user"), reasons.toString());
        assertTrue(reasons.contains("dina:false:disabled"), reasons.toString());
        assertEquals(401, server.get("/api/queues", null).statusCode(), "and nothing was opened");
    }
}
