package dev.switchboard.server.http;

import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.users.Accounts;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.security.Principal;
import io.helidon.security.Security;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.EndpointConfig;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityEnvironment;
import io.helidon.security.SecurityResponse;
import io.helidon.security.Subject;
import io.helidon.security.providers.oidc.OidcFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Sign-in through the center's identity provider: the OpenID Connect authorization code flow, run
 * by Helidon's OIDC security provider, ending in an ordinary Switchboard session.
 *
 * <p>A browser opens {@value #LOGIN_PATH}. Not yet known to the provider, Helidon sends it to the
 * provider's login; the provider sends it back to {@value #REDIRECT_PATH} with a code, which
 * Helidon exchanges for tokens (checked against the provider's keys) and keeps in the
 * {@value #PROVIDER_COOKIE} cookie; the browser is back at {@value #LOGIN_PATH}, now authenticated.
 * There the claim {@link ServerConfig.Oidc#usernameClaim} names the Switchboard account: it must
 * exist and be enabled (admins still decide who supervises and who administers; the provider only
 * proves who someone is), and a session opens exactly as after a password sign-in, audited with
 * reason {@code oidc}. The browser goes on to the dashboard with the session token in the URL
 * fragment ({@code /#session=…}, never sent to a server; the dashboard takes it and clears the
 * address) and the {@code sb_session} cookie; the provider's own cookie is cleared. A refusal goes
 * to {@code /#signin_error=…}, which the dashboard shows.
 */
public final class OidcSignIn {

    private static final Logger LOG = Logger.getLogger(OidcSignIn.class.getName());

    /** Where a browser starts (and ends) an OIDC sign-in. */
    public static final String LOGIN_PATH = "/auth/oidc";
    /** Where the provider sends the browser back with its code (register it at the provider). */
    public static final String REDIRECT_PATH = "/auth/oidc/redirect";
    /** Helidon's cookie with the provider's token, only between the redirect and the session. */
    static final String PROVIDER_COOKIE = "sb_oidc";
    private static final AtomicLong CONTEXTS = new AtomicLong();

    private final ServerConfig.Oidc oidc;
    private final Accounts accounts;
    private final java.time.Duration sessionTtl;
    private final Config config;
    private final Security security;

    private OidcSignIn(ServerConfig.Oidc oidc, Accounts accounts, java.time.Duration sessionTtl) {
        this.oidc = oidc;
        this.accounts = accounts;
        this.sessionTtl = sessionTtl;
        this.config = helidonConfig(oidc);
        // reads the provider's discovery document and keys now: a wrong issuer fails the start, not a sign-in
        this.security = Security.create(config.get("security"));
    }

    /** The sign-in for {@code oidc}, or nothing when OIDC is off. */
    public static Optional<OidcSignIn> of(ServerConfig.Users users, Accounts accounts) {
        return Optional.ofNullable(users.oidc()).map(o -> new OidcSignIn(o, accounts, users.sessionTtl()));
    }

    /** The provider's settings as Helidon's OIDC provider reads them. */
    static Config helidonConfig(ServerConfig.Oidc oidc) {
        String p = "security.providers.0.oidc.";
        Map<String, String> m = new HashMap<>();
        m.put(p + "identity-uri", oidc.issuer());
        m.put(p + "client-id", oidc.clientId());
        m.put(p + "client-secret", oidc.clientSecret());
        m.put(p + "frontend-uri", oidc.frontendUrl());
        m.put(p + "redirect-uri", REDIRECT_PATH);
        m.put(p + "redirect", "true");
        m.put(p + "base-scopes", "openid profile email");
        m.put(p + "audience", oidc.clientId());
        m.put(p + "optional-audience", "true");
        m.put(p + "header-use", "false");
        m.put(p + "query-param-use", "false");
        m.put(p + "cookie-use", "true");
        m.put(p + "cookie-name", PROVIDER_COOKIE);
        m.put(p + "cookie-path", LOGIN_PATH);
        // the provider's redirect is a cross-site navigation: a Strict cookie would not come back with it
        m.put(p + "cookie-same-site", "LAX");
        m.put(p + "cookie-http-only", "true");
        m.put(p + "cookie-encryption-enabled", "false");
        m.put(p + "use-jwt-groups", "false");
        m.put("security.config.require-encryption", "false");
        return Config.just(ConfigSources.create(m));
    }

    /**
     * The request context Helidon's OIDC feature needs on every request (it notes each request's
     * original URI there): add it to the WebServer when OIDC is on.
     */
    public io.helidon.webserver.spi.ServerFeature contextFeature() {
        return io.helidon.webserver.context.ContextFeature.create();
    }

    /** The provider's redirect endpoint and the login route (add to the routing). */
    public void routing(HttpRouting.Builder r) {
        r.addFeature(OidcFeature.create(config));
        r.get(LOGIN_PATH, this::login);
    }

    /**
     * Asks Helidon's OIDC provider who the browser is, as Helidon's {@code SecurityHandler} would
     * (that handler is not used: in Helidon 4.0.4 it fails every successful authentication whose
     * response carries no cookie, copying an empty {@code Set-Cookie} list). The provider either
     * names the user or answers with the redirect to the identity provider's login, which goes
     * back to the browser as it is.
     */
    private void login(ServerRequest req, ServerResponse res) {
        Map<String, List<String>> headers = new TreeMap<>(String::compareToIgnoreCase);
        headers.putAll(req.headers().toMap());
        // where the browser returns after the provider's login (the provider puts it in the state)
        String query = req.query().rawValue();
        headers.put(Security.HEADER_ORIG_URI, List.of(req.path().rawPath() + (query.isEmpty() ? "" : "?" + query)));
        SecurityEnvironment env = security.environmentBuilder()
            .targetUri(req.requestedUri().toUri())
            .path(req.path().path())
            .method(req.prologue().method().text())
            .transport(req.isSecure() ? "https" : "http")
            .headers(headers)
            .build();
        SecurityContext context = security.contextBuilder("oidc-" + CONTEXTS.incrementAndGet())
            .env(env)
            .endpointConfig(EndpointConfig.builder().build())
            .build();
        AuthenticationResponse atn = context.atnClientBuilder().submit();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        switch (atn.status()) {
            case SUCCESS -> signedIn(req, res, atn.user().map(Subject::principal));
            case SUCCESS_FINISH, FAILURE_FINISH -> {
                // the provider's own answer: the redirect to the login page, or its refusal
                atn.responseHeaders().forEach((name, values) -> {
                    if (!values.isEmpty()) {
                        res.headers().set(HeaderNames.create(name), values);
                    }
                });
                res.status(Status.create(atn.statusCode().orElse(atn.status() == SecurityResponse.SecurityStatus.SUCCESS_FINISH
                    ? 200 : 401)));
                res.send();
            }
            case ABSTAIN, FAILURE -> {
                LOG.warning("OIDC sign-in refused by the provider: " + atn.description().orElse(atn.status().toString()));
                back(res, returnPage(req), "signin_error", "the identity provider did not sign you in"
                    + atn.description().map(d -> " (" + d + ")").orElse(""));
            }
        }
    }

    /** The provider named {@code principal}: a Switchboard session for the account it names. */
    private void signedIn(ServerRequest req, ServerResponse res, Optional<Principal> principal) {
        String page = returnPage(req);
        // the provider's token has done its work: the session stands on its own from here
        res.headers().add(HeaderNames.SET_COOKIE, PROVIDER_COOKIE + "=; Path=" + LOGIN_PATH + "; Max-Age=0; HttpOnly; SameSite=Lax");
        if (principal.isEmpty()) {
            back(res, page, "signin_error", "the identity provider named nobody");
            return;
        }
        String username = principal.get().abacAttribute(oidc.usernameClaim()).map(Object::toString)
            .orElse(null);
        if (username == null || username.isBlank()) {
            back(res, page, "signin_error", "the identity provider's token has no " + oidc.usernameClaim() + " claim");
            return;
        }
        switch (accounts.signInVerified(username, UsersService.remote(req), "oidc")) {
            case Accounts.SignInResult.Accepted a -> {
                res.headers().add(HeaderNames.SET_COOKIE, UsersService.cookie(req, a.session().token(), sessionTtl.toSeconds()));
                LOG.info("signed in through the identity provider: " + a.session().user().username());
                back(res, page, "session", a.session().token());
            }
            case Accounts.SignInResult.Refused r -> back(res, page, "signin_error", Accounts.DISABLED.equals(r.reason())
                ? "the account " + Accounts.normalize(username) + " is disabled: ask an admin"
                : "the identity provider signed you in as " + Accounts.normalize(username)
                    + ", but Switchboard has no such account: ask an admin to create it");
            case Accounts.SignInResult.Throttled t -> back(res, page, "signin_error", "too many sign-ins; retry later");
        }
    }

    /** The page the sign-in started from ({@code ?return=/wall}); only the server's own pages, never another site. */
    private static String returnPage(ServerRequest req) {
        return "/wall".equals(req.query().first("return").orElse("/")) ? "/wall" : "/";
    }

    /** To the dashboard, with what it needs in the fragment (never sent to a server). */
    private static void back(ServerResponse res, String page, String name, String value) {
        res.status(Status.SEE_OTHER_303);
        res.header(HeaderNames.LOCATION, page + "#" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        res.send();
    }
}
