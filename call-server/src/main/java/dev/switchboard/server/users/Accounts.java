package dev.switchboard.server.users;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.switchboard.server.config.ApiKey;
import dev.switchboard.server.store.Store;
import dev.switchboard.server.wire.FieldError;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbRow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Named supervisors: accounts, their sessions and the audit of sign-ins, all in the database
 * (tables {@code users}, {@code user_sessions}, {@code signins} of migration V7), so that a
 * session outlives a restart and is valid on every node of a cluster sharing PostgreSQL.
 *
 * <p><b>Passwords</b> are hashed with bcrypt (at.favre.lib:bcrypt, cost {@value #BCRYPT_COST},
 * a fresh salt per hash); the password is never stored or logged. bcrypt reads at most 72 bytes,
 * so a longer password is refused rather than silently cut. A sign-in with an unknown username
 * still runs one bcrypt verification, so the answer time does not tell which usernames exist.
 *
 * <p><b>Sessions</b>: the token is {@value #TOKEN_BYTES} bytes of {@link SecureRandom}
 * (base64url, prefixed {@code sbs_}); only its SHA-256 is stored, so the table signs nobody in.
 * A session ends at its expiry, at sign-out, or when its user is disabled or has the password
 * reset (every session of the user is deleted then).
 *
 * <p><b>Throttling</b> counts failed sign-ins in the audit table itself: after
 * {@value #MAX_FAILURES_PER_USER} failures for one username, or {@value #MAX_FAILURES_PER_ADDRESS}
 * from one remote address, within {@link #THROTTLE_WINDOW}, further attempts are refused without
 * checking the password until the oldest failure leaves the window. No memory grows with the
 * number of usernames or addresses tried, the count is shared by the nodes of a cluster and
 * survives a restart. Throttled attempts are not written (an attacker cannot grow the table by
 * hammering a throttled name).
 *
 * <p>Thread-safe: every method is a few statements on the pool.
 */
public final class Accounts {

    /** Usernames: lowercase letters, digits and {@code . _ -}, 1-64, starting with a letter or digit (never a {@code key:} fingerprint). */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** The shortest password accepted: NIST SP 800-63B asks for at least 8; 12 for accounts that act in a medical center. */
    public static final int MIN_PASSWORD_LENGTH = 12;
    /** bcrypt's limit: it reads no more than 72 bytes of a password. */
    public static final int MAX_PASSWORD_BYTES = 72;
    /** bcrypt's work factor: about a quarter of a second per hash on one core of today's servers (OWASP: at least 10). */
    static final int BCRYPT_COST = 12;
    /** Random bytes in a session token (256 bits: unguessable, and the stored SHA-256 needs no salt). */
    static final int TOKEN_BYTES = 32;
    public static final String TOKEN_PREFIX = "sbs_";
    /** Failed sign-ins for one username within {@link #THROTTLE_WINDOW} before it is throttled. */
    public static final int MAX_FAILURES_PER_USER = 5;
    /** Failed sign-ins from one remote address within {@link #THROTTLE_WINDOW} before it is throttled (a whole office may share one). */
    public static final int MAX_FAILURES_PER_ADDRESS = 20;
    public static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);

    /** Reasons kept in the audit. */
    public static final String WRONG_PASSWORD = "wrong_password";
    public static final String UNKNOWN_USER = "unknown_user";
    public static final String DISABLED = "disabled";

    private final DbClient db;
    private final Clock clock;
    private final Duration sessionTtl;
    private final SecureRandom random = new SecureRandom();
    /** Verified against when the username is unknown: the same work as a real check (made at the first need, not at every start). */
    private volatile String dummyHash;

    public Accounts(Store store, Duration sessionTtl, Clock clock) {
        this.db = store.db();
        this.clock = clock;
        this.sessionTtl = sessionTtl;
    }

    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            byte[] filler = new byte[16];
            random.nextBytes(filler);
            h = hash(HexFormat.of().formatHex(filler));
            dummyHash = h;
        }
        return h;
    }

    /** An account as listed (never with its hash). */
    public record User(String username, ApiKey.Role role, boolean disabled, Instant createdAt, String createdBy,
                       Instant passwordChangedAt) {
    }

    /** A session just opened: the token is given once, to the client. */
    public record Session(String token, Instant expiresAt, User user) {
        @Override
        public String toString() {
            return "Session[user=" + user.username() + ", expiresAt=" + expiresAt + ", token=****]";
        }
    }

    /** One sign-in attempt as audited. */
    public record SignIn(long id, String username, Instant at, String remote, boolean success, String reason) {
    }

    /** What a sign-in came to. */
    public sealed interface SignInResult {
        record Accepted(Session session) implements SignInResult {
        }

        /** Wrong password, unknown user ({@link #reason} says which, for the audit only) or disabled. */
        record Refused(String reason) implements SignInResult {
        }

        /** Too many failures lately: try again after {@code retryAfterSeconds}. */
        record Throttled(long retryAfterSeconds) implements SignInResult {
        }
    }

    /** A username that is taken already. */
    public static final class Duplicate extends RuntimeException {
        public Duplicate(String username) {
            super("a user named '" + username + "' exists already", null, false, false);
        }
    }

    // ------------------------------------------------------------------ validation

    /** The username as stored: trimmed and lowercased (sign-in is case-insensitive). */
    public static String normalize(String username) {
        return username.strip().toLowerCase(Locale.ROOT);
    }

    /** Why {@code username} (normalized) cannot be an account's name, or {@code null}. */
    public static String usernameProblem(String username) {
        return USERNAME.matcher(username).matches() ? null
            : "must be 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";
    }

    /** Why {@code password} cannot be an account's password, or {@code null}. */
    public static String passwordProblem(String password) {
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            return "must be at least " + MIN_PASSWORD_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8 (bcrypt reads no more)";
        }
        if (password.isBlank()) {
            return "must not be blank";
        }
        return null;
    }

    /** The role of an account: supervisor or admin (ingest is for API keys: integrations, not people). */
    public static ApiKey.Role parseRole(String role, List<FieldError> errors) {
        try {
            ApiKey.Role r = ApiKey.Role.parse(role);
            if (r == ApiKey.Role.INGEST) {
                errors.add(new FieldError("role", "ingest is for API keys only (integrations post events, people do not); "
                    + "use supervisor or admin"));
                return null;
            }
            return r;
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("role", "must be supervisor or admin, got '" + role + "'"));
            return null;
        }
    }

    // ------------------------------------------------------------------ accounts

    /**
     * Creates an account (arguments validated by the caller).
     *
     * @param by who created it: an admin's username or key fingerprint
     * @throws Duplicate when the username is taken
     */
    public User create(String username, String password, ApiKey.Role role, String by) {
        OffsetDateTime now = now();
        try {
            db.execute().dml("INSERT INTO users (username, password_hash, role, disabled, created_at, created_by, "
                + "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", username, hash(password), role.wireName(), false,
                now, by, now);
        } catch (DbClientException e) {
            if (Store.isConstraintViolation(e)) {
                throw new Duplicate(username);
            }
            throw e;
        }
        return find(username).orElseThrow();
    }

    /**
     * Creates the first admin when there is no account at all (the bootstrap of
     * {@code SWITCHBOARD_ADMIN_USER} / {@code SWITCHBOARD_ADMIN_PASSWORD}); does nothing once any
     * account exists, so a changed or removed variable never overrides what admins did since.
     *
     * @return whether the admin was created now
     */
    public boolean seedAdmin(String username, String password) {
        OffsetDateTime now = now();
        return db.execute().dml("INSERT INTO users (username, password_hash, role, disabled, created_at, created_by, "
            + "password_changed_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)", username,
            hash(password), ApiKey.Role.ADMIN.wireName(), false, now, "SWITCHBOARD_ADMIN_USER", now) > 0;
    }

    public List<User> list() {
        return db.execute().query("SELECT " + USER_COLUMNS + " FROM users ORDER BY username").map(Accounts::user).toList();
    }

    public Optional<User> find(String username) {
        return db.execute().get("SELECT " + USER_COLUMNS + " FROM users WHERE username = ?", username).map(Accounts::user);
    }

    /**
     * Disables or enables an account; disabling ends its sessions at once.
     *
     * @return the account as it is now, empty for an unknown username
     */
    public Optional<User> setDisabled(String username, boolean disabled) {
        long n = db.execute().dml("UPDATE users SET disabled = ? WHERE username = ?", disabled, username);
        if (n == 0) {
            return Optional.empty();
        }
        if (disabled) {
            endSessions(username);
        }
        return find(username);
    }

    /**
     * Sets a new password (an admin's reset); every session of the account ends (whoever knew the
     * old password is signed out).
     */
    public Optional<User> resetPassword(String username, String password) {
        long n = db.execute().dml("UPDATE users SET password_hash = ?, password_changed_at = ? WHERE username = ?",
            hash(password), now(), username);
        if (n == 0) {
            return Optional.empty();
        }
        endSessions(username);
        return find(username);
    }

    private void endSessions(String username) {
        db.execute().dml("DELETE FROM user_sessions WHERE username = ?", username);
    }

    // ------------------------------------------------------------------ sessions

    /**
     * Checks a username and password and opens a session; every attempt checked is audited.
     *
     * @param remote the client's address (for the throttle and the audit)
     */
    public SignInResult signIn(String username, String password, String remote) {
        String name = normalize(username);
        String addr = remote.length() > 64 ? remote.substring(0, 64) : remote;
        Instant now = clock.instant();
        long wait = Math.max(throttled("username", name, MAX_FAILURES_PER_USER, now),
            throttled("remote", addr, MAX_FAILURES_PER_ADDRESS, now));
        if (wait > 0) {
            return new SignInResult.Throttled(wait);
        }
        Optional<DbRow> row = name.length() > 64 ? Optional.empty()
            : db.execute().get("SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE username = ?", name);
        String hash = row.map(r -> r.column("password_hash").get(String.class)).orElseGet(this::dummyHash);
        boolean matches = password.getBytes(StandardCharsets.UTF_8).length <= MAX_PASSWORD_BYTES
            && BCrypt.verifyer().verify(password.toCharArray(), hash).verified;
        String auditName = name.length() > 64 ? name.substring(0, 64) : name;
        if (row.isEmpty() || !matches) {
            audit(auditName, addr, false, row.isEmpty() ? UNKNOWN_USER : WRONG_PASSWORD);
            return new SignInResult.Refused(row.isEmpty() ? UNKNOWN_USER : WRONG_PASSWORD);
        }
        User user = user(row.get());
        if (user.disabled()) {
            audit(name, addr, false, DISABLED);
            return new SignInResult.Refused(DISABLED);
        }
        audit(name, addr, true, null);
        return new SignInResult.Accepted(openSession(user, addr, now));
    }

    /**
     * Signs in a user whose identity a trusted provider already checked (OpenID Connect): the
     * account must exist and be enabled; its role is the account's. Audited like a password
     * sign-in, the success with reason {@code via} (e.g. {@code oidc}); not throttled, since no
     * secret is guessed here.
     */
    public SignInResult signInVerified(String username, String remote, String via) {
        String name = normalize(username);
        String addr = remote.length() > 64 ? remote.substring(0, 64) : remote;
        String auditName = name.length() > 64 ? name.substring(0, 64) : name;
        Optional<User> user = usernameProblem(name) != null ? Optional.empty() : find(name);
        if (user.isEmpty()) {
            audit(auditName, addr, false, UNKNOWN_USER);
            return new SignInResult.Refused(UNKNOWN_USER);
        }
        if (user.get().disabled()) {
            audit(name, addr, false, DISABLED);
            return new SignInResult.Refused(DISABLED);
        }
        audit(name, addr, true, via);
        return new SignInResult.Accepted(openSession(user.get(), addr, clock.instant()));
    }

    private Session openSession(User user, String addr, Instant now) {
        String name = user.username();
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = now.plus(sessionTtl);
        db.execute().dml("DELETE FROM user_sessions WHERE expires_at < ?", now.atOffset(ZoneOffset.UTC));
        db.execute().dml("INSERT INTO user_sessions (token_hash, username, created_at, expires_at, remote) "
            + "VALUES (?, ?, ?, ?, ?)", tokenHash(token), name, now.atOffset(ZoneOffset.UTC),
            expires.atOffset(ZoneOffset.UTC), addr);
        return new Session(token, expires, user);
    }

    /** Seconds until a sign-in for {@code value} of {@code column} is accepted again, or 0 when it is not throttled. */
    private long throttled(String column, String value, int max, Instant now) {
        Instant since = now.minus(THROTTLE_WINDOW);
        List<Instant> failures = db.execute().query("SELECT at FROM signins WHERE " + column + " = ? AND success = ? "
                + "AND at > ? ORDER BY at DESC", value, false, since.atOffset(ZoneOffset.UTC))
            .map(r -> Instant.ofEpochMilli(Store.millis(r.column("at").get(Object.class)))).toList();
        if (failures.size() < max) {
            return 0;
        }
        // once the max-th newest failure leaves the window, fewer than max remain
        Instant free = failures.get(max - 1).plus(THROTTLE_WINDOW);
        return Math.max(1, (Duration.between(now, free).toMillis() + 999) / 1000);
    }

    private void audit(String username, String remote, boolean success, String reason) {
        db.execute().dml("INSERT INTO signins (username, at, remote, success, reason) VALUES (?, ?, ?, ?, ?)",
            username, now(), remote, success, reason);
    }

    /** The user a session token belongs to, while the session is open and the account enabled. */
    public Optional<User> userOf(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 128) {
            return Optional.empty();
        }
        return db.execute().get("SELECT " + prefixed("u.") + ", s.expires_at FROM user_sessions s JOIN users u "
                + "ON u.username = s.username WHERE s.token_hash = ?", tokenHash(token))
            .filter(r -> Store.millis(r.column("expires_at").get(Object.class)) > clock.millis())
            .map(Accounts::user)
            .filter(u -> !u.disabled());
    }

    /** Ends the session of {@code token} (signing out); a token already ended changes nothing. */
    public void signOut(String token) {
        if (token != null && token.startsWith(TOKEN_PREFIX)) {
            db.execute().dml("DELETE FROM user_sessions WHERE token_hash = ?", tokenHash(token));
        }
    }

    /** The audit of sign-ins, newest first; {@code username} {@code null} for everyone's. */
    public List<SignIn> signIns(String username, int limit) {
        String sql = "SELECT id, username, at, remote, success, reason FROM signins"
            + (username == null ? "" : " WHERE username = ?") + " ORDER BY at DESC, id DESC LIMIT ?";
        Object[] params = username == null ? new Object[] {limit} : new Object[] {username, limit};
        return db.execute().query(sql, params).map(r -> new SignIn(r.column("id").get(Long.class),
            r.column("username").get(String.class), Instant.ofEpochMilli(Store.millis(r.column("at").get(Object.class))),
            r.column("remote").get(String.class), r.column("success").get(Boolean.class),
            r.column("reason").get(String.class))).toList();
    }

    // ------------------------------------------------------------------ helpers

    private static final String USER_COLUMNS = "username, role, disabled, created_at, created_by, password_changed_at";

    private static String prefixed(String alias) {
        return alias + USER_COLUMNS.replace(", ", ", " + alias);
    }

    private static User user(DbRow r) {
        return new User(r.column("username").get(String.class), ApiKey.Role.parse(r.column("role").get(String.class)),
            r.column("disabled").get(Boolean.class),
            Instant.ofEpochMilli(Store.millis(r.column("created_at").get(Object.class))),
            r.column("created_by").get(String.class),
            Instant.ofEpochMilli(Store.millis(r.column("password_changed_at").get(Object.class))));
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private static String hash(String password) {
        return BCrypt.withDefaults().hashToString(BCRYPT_COST, password.toCharArray());
    }

    /** The SHA-256 of a token, in hex: what {@code user_sessions} keeps. */
    static String tokenHash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
