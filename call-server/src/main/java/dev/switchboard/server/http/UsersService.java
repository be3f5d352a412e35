package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.config.ApiKey;
import dev.switchboard.server.users.Accounts;
import dev.switchboard.server.wire.FieldError;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Named supervisors: signing in and out, and the accounts admins manage (see {@link Accounts}).
 *
 * <pre>
 * POST   /api/session                  no credentials: {username, password} → {token, expires_at, user} + cookie
 * GET    /api/session                  a session: {user}
 * DELETE /api/session                  a session: signs out (204), clears the cookie
 * GET    /api/users                    admin: every account (never a hash)
 * POST   /api/users                    admin: {username, password, role} → 201; 409 when taken
 * GET    /api/users/signins            admin: the audit of sign-ins (?username=&amp;limit=)
 * POST   /api/users/{id}/disable       admin: no more sign-ins, its sessions end
 * POST   /api/users/{id}/enable        admin
 * POST   /api/users/{id}/password      admin: {password} (a reset), its sessions end
 * </pre>
 */
public final class UsersService implements HttpService {

    private final Accounts accounts;
    private final Auth auth;
    private final long maxBodyBytes;
    private final Duration sessionTtl;
    private final Consumer<String> rejected;
    private final Consumer<String> sessionEnded;

    /**
     * @param sessionEnded told the token of a session signed out here (its sockets close at once)
     */
    public UsersService(Accounts accounts, Auth auth, long maxBodyBytes, Duration sessionTtl, Consumer<String> rejected,
                        Consumer<String> sessionEnded) {
        this.sessionEnded = sessionEnded;
        this.accounts = accounts;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.sessionTtl = sessionTtl;
        this.rejected = rejected;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/session", Params.only(this::signIn))
            .get("/session", Params.only(this::current))
            .delete("/session", Params.only(this::signOut))
            .get("/users", auth.admin(Params.only(this::list)))
            .post("/users", auth.admin(Params.only(this::create)))
            .get("/users/signins", auth.admin(Params.only(this::signIns, "username", "limit")))
            .post("/users/{id}/disable", auth.admin(Params.only((req, res) -> setDisabled(req, res, true))))
            .post("/users/{id}/enable", auth.admin(Params.only((req, res) -> setDisabled(req, res, false))))
            .post("/users/{id}/password", auth.admin(Params.only(this::resetPassword)));
    }

    private void signIn(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBody.read(req, maxBodyBytes, rejected);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(body, Set.of("username", "password"), errors);
        String username = text(body, "username", errors);
        String password = text(body, "password", errors);
        if (!errors.isEmpty()) {
            rejected.accept("invalid");
            throw ApiProblem.badRequest("invalid sign-in", errors);
        }
        switch (accounts.signIn(username, password, remote(req))) {
            case Accounts.SignInResult.Throttled t -> {
                rejected.accept("signin_throttled");
                throw new ApiProblem(429, "Too Many Requests", "too many failed sign-ins for this username or from this "
                    + "address; retry after " + t.retryAfterSeconds() + " s", List.of(), (int) t.retryAfterSeconds());
            }
            case Accounts.SignInResult.Refused r when Accounts.DISABLED.equals(r.reason()) -> {
                rejected.accept("unauthorized");
                throw new ApiProblem(403, "Forbidden", "this account is disabled: ask an admin", List.of());
            }
            case Accounts.SignInResult.Refused r -> {
                rejected.accept("unauthorized");
                throw new ApiProblem(401, "Unauthorized", "wrong username or password", List.of());
            }
            case Accounts.SignInResult.Accepted a -> {
                res.header(HeaderNames.SET_COOKIE, cookie(req, a.session().token(), sessionTtl.toSeconds()));
                res.header(HeaderNames.CACHE_CONTROL, "no-store");
                ObjectNode out = Wire.object();
                out.put("token", a.session().token());
                out.put("expires_at", a.session().expiresAt().toString());
                out.set("user", brief(a.session().user()));
                Json.send(res, out);
            }
        }
    }

    /** The signed-in user; a request made with an API key has none (404). */
    private void current(ServerRequest req, ServerResponse res) {
        Auth.Caller caller = Auth.callerOf(req);
        if (caller.username() == null) {
            throw ApiProblem.notFound("no user session: this request carries an API key (" + caller.role().wireName()
                + "), not a signed-in user");
        }
        ObjectNode out = Wire.object();
        out.set("user", brief(accounts.find(caller.username()).orElseThrow()));
        Json.send(res, out);
    }

    private void signOut(ServerRequest req, ServerResponse res) {
        Auth.Caller caller = Auth.callerOf(req);
        if (caller.username() == null) {
            throw ApiProblem.notFound("no user session to end: this request carries an API key");
        }
        String token = Auth.sessionToken(req);
        accounts.signOut(token);
        sessionEnded.accept(token);
        res.header(HeaderNames.SET_COOKIE, cookie(req, "", 0));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private void list(ServerRequest req, ServerResponse res) {
        ArrayNode out = Wire.array();
        accounts.list().forEach(u -> out.add(userJson(u)));
        Json.send(res, out);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBody.read(req, maxBodyBytes, rejected);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(body, Set.of("username", "password", "role"), errors);
        String username = text(body, "username", errors);
        String password = text(body, "password", errors);
        String roleText = text(body, "role", errors);
        if (username != null) {
            username = Accounts.normalize(username);
            String bad = Accounts.usernameProblem(username);
            if (bad != null) {
                errors.add(new FieldError("username", bad));
            }
        }
        checkPassword(password, errors);
        ApiKey.Role role = roleText == null ? null : Accounts.parseRole(roleText, errors);
        if (!errors.isEmpty()) {
            rejected.accept("invalid");
            throw ApiProblem.badRequest("invalid user", errors);
        }
        try {
            Accounts.User u = accounts.create(username, password, role, Auth.callerOf(req).actor());
            res.header(HeaderNames.LOCATION, "/api/users/" + u.username());
            Json.send(res, Status.CREATED_201, userJson(u));
        } catch (Accounts.Duplicate e) {
            throw new ApiProblem(409, "Conflict", e.getMessage(), List.of(new FieldError("username", "is taken")));
        }
    }

    private void setDisabled(ServerRequest req, ServerResponse res, boolean disabled) {
        String username = username(req);
        if (disabled && username.equals(Auth.callerOf(req).username())) {
            throw new ApiProblem(409, "Conflict", "you cannot disable your own account (another admin can)", List.of());
        }
        Json.send(res, userJson(accounts.setDisabled(username, disabled)
            .orElseThrow(() -> ApiProblem.notFound("unknown user '" + username + "'"))));
    }

    private void resetPassword(ServerRequest req, ServerResponse res) {
        String username = username(req);
        JsonNode body = JsonBody.read(req, maxBodyBytes, rejected);
        List<FieldError> errors = new ArrayList<>();
        unknownFields(body, Set.of("password"), errors);
        String password = text(body, "password", errors);
        checkPassword(password, errors);
        if (!errors.isEmpty()) {
            rejected.accept("invalid");
            throw ApiProblem.badRequest("invalid password", errors);
        }
        Json.send(res, userJson(accounts.resetPassword(username, password)
            .orElseThrow(() -> ApiProblem.notFound("unknown user '" + username + "'"))));
    }

    private void signIns(ServerRequest req, ServerResponse res) {
        String username = Params.string(req, "username");
        int limit = Params.integer(req, "limit", 100, 1, 1000);
        ArrayNode out = Wire.array();
        for (Accounts.SignIn s : accounts.signIns(username == null ? null : Accounts.normalize(username), limit)) {
            ObjectNode n = Wire.object();
            n.put("id", s.id());
            n.put("username", s.username());
            n.put("at", s.at().toString());
            n.put("remote", s.remote());
            n.put("success", s.success());
            n.put("reason", s.reason());
            out.add(n);
        }
        Json.send(res, out);
    }

    // ------------------------------------------------------------------ helpers

    private static String username(ServerRequest req) {
        String id = Accounts.normalize(Params.id(req, "user"));
        if (Accounts.usernameProblem(id) != null) {
            throw ApiProblem.notFound("unknown user '" + id + "'");
        }
        return id;
    }

    private static void checkPassword(String password, List<FieldError> errors) {
        if (password != null) {
            String bad = Accounts.passwordProblem(password);
            if (bad != null) {
                errors.add(new FieldError("password", bad));
            }
        }
    }

    private static void unknownFields(JsonNode body, Set<String> known, List<FieldError> errors) {
        if (!body.isObject()) {
            errors.add(new FieldError("", "must be a JSON object"));
            return;
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                errors.add(new FieldError(f, "unknown field (expected " + String.join(", ", known.stream().sorted().toList())
                    + ")"));
            }
        }
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (body.isObject()) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!n.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return n.asText();
    }

    /** The client's address, as the socket sees it (a proxy in front is not trusted to say otherwise). */
    private static String remote(ServerRequest req) {
        return req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
            ? a.getAddress().getHostAddress() : String.valueOf(req.remotePeer().address());
    }

    /** The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over TLS. */
    private static String cookie(ServerRequest req, String token, long maxAgeSeconds) {
        return Auth.SESSION_COOKIE + "=" + token + "; Path=/api; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
            + (req.isSecure() ? "; Secure" : "");
    }

    /** {@code {username, role}}, as the session names its user. */
    private static ObjectNode brief(Accounts.User u) {
        ObjectNode n = Wire.object();
        n.put("username", u.username());
        n.put("role", u.role().wireName());
        return n;
    }

    /** An account as admins see it (never the hash). */
    static ObjectNode userJson(Accounts.User u) {
        ObjectNode n = brief(u);
        n.put("disabled", u.disabled());
        n.put("created_at", u.createdAt().toString());
        n.put("created_by", u.createdBy());
        n.put("password_changed_at", u.passwordChangedAt().toString());
        return n;
    }
}
