package dev.switchboard.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.TestServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Real call-server processes in cluster mode ({@code SWITCHBOARD_CLUSTER=postgres}) on ONE fresh
 * PostgreSQL database: each node a child JVM ({@link ServerProcess}) with its own HTTP port,
 * Socket.io port and data directory, all with the same API keys, cluster secret and lease
 * timeout, so a test can {@code kill -9}, SIGTERM, SIGSTOP and SIGCONT any node, cut the leader's
 * lock session from PostgreSQL, restart a node (it rejoins as a follower) or add one, and ask
 * every node whom it takes for the leader.
 *
 * <p>Nodes are named {@code n1}, {@code n2}, ... in start order. {@code n1} starts alone (it
 * migrates the schema, and nothing else races it for the first lease); the others then start
 * together. Which node leads is only ever learnt from {@code GET /api/cluster}, never assumed.
 *
 * <p>Each JVM gets {@code -Xmx256m -XX:+UseSerialGC} (as in {@link KillNineTest}) so that four of
 * them, the test JVM and PostgreSQL fit on 2 cores. Everything listens on 127.0.0.1 only.
 */
final class ClusterNodes implements AutoCloseable {

    /**
     * {@code SWITCHBOARD_LEASE_TIMEOUT}: a leader silent for this long is deposed. 2 s keeps a
     * SIGSTOP scenario within seconds; production's default is 5 s.
     */
    static final Duration LEASE = Duration.ofSeconds(2);
    static final String SECRET = "reliability-cluster-secret-0123456789";
    static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");
    /** A node that has not answered readiness by then is broken, not slow (4 JVMs on 2 cores start in ~15 s). */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** One request to a node; a SIGSTOPped node answers nothing, so every look is bounded by this. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final String LOCK_SESSION = "switchboard-lock ";

    /** Where a node is in the test's script. */
    enum State {
        /** Launched, not ready yet: not in the clients' rotation. */
        STARTING,
        /** Ready, and not touched since (or restarted). */
        RUNNING,
        /** SIGSTOPped: alive, listening, frozen. */
        PAUSED,
        /** SIGKILLed. */
        KILLED,
        /** Ended by SIGTERM. */
        STOPPED
    }

    /** One node: its id, its process, and where the script left it. */
    static final class Node {
        private final String id;
        private final ServerProcess process;
        private volatile State state = State.STARTING;

        private Node(String id, ServerProcess process) {
            this.id = id;
            this.process = process;
        }

        String id() {
            return id;
        }

        State state() {
            return state;
        }

        String baseUrl() {
            return process.baseUrl();
        }

        String socketUrl() {
            return process.socketUrl();
        }

        Path log() {
            return process.log();
        }

        long pid() {
            return process.pid();
        }

        /** How many times this node's JVM was started: a subscriber opened on it survives only within one start. */
        int starts() {
            return process.starts();
        }

        @Override
        public String toString() {
            return id;
        }
    }

    /** One entry of {@code nodes} in {@code GET /api/cluster}. */
    record Member(String nodeId, String url, String role, String lastSeen, long lag) {
    }

    /** What one node answered to {@code GET /api/cluster}; {@code leaderId} is null while it knows no leader. */
    record View(String askedNode, String mode, String nodeId, String role, long epoch, String leaderId, String leaderUrl,
                List<Member> nodes) {

        Optional<Member> member(String id) {
            return nodes.stream().filter(m -> m.nodeId().equals(id)).findFirst();
        }

        /** Whether it lists node {@code id} with role {@code role}. */
        boolean lists(String id, String role) {
            return member(id).map(m -> m.role().equals(role)).orElse(false);
        }

        @Override
        public String toString() {
            return askedNode + ": " + role + ", epoch " + epoch + ", leader " + leaderId + ", nodes "
                + nodes.stream().map(m -> m.nodeId() + "=" + m.role() + "(lag " + m.lag() + ")").toList();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String database;
    private final Map<String, String> overrides;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    private ClusterNodes(String database, Map<String, String> overrides) {
        this.database = database;
        this.overrides = overrides;
    }

    /**
     * Creates the database and starts {@code count} nodes ({@code n1} first, then the others
     * together); returns when every node is ready. {@code overrides} are extra {@code SWITCHBOARD_*}
     * settings for every node (an SLA, a backoff).
     */
    static ClusterNodes start(int count, Map<String, String> overrides) throws Exception {
        String database = "sb_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestServer.createDatabase(database);
        ClusterNodes cluster = new ClusterNodes(database, overrides);
        try {
            cluster.awaitReady(cluster.launchNode());
            List<Node> rest = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                rest.add(cluster.launchNode());
            }
            for (Node n : rest) {
                cluster.awaitReady(n);
            }
            return cluster;
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (InterruptedException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Node launchNode() throws IOException {
        String id = "n" + (nodes.size() + 1);
        int httpPort = TestServer.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_HTTP_PORT", String.valueOf(httpPort));
        env.put("SWITCHBOARD_SOCKET_PORT", String.valueOf(TestServer.freePort()));
        env.put("SWITCHBOARD_DB_URL", jdbcUrl());
        env.put("SWITCHBOARD_CLUSTER", "postgres");
        env.put("SWITCHBOARD_NODE_ID", id);
        env.put("SWITCHBOARD_NODE_URL", "http://127.0.0.1:" + httpPort);
        env.put("SWITCHBOARD_CLUSTER_SECRET", SECRET);
        env.put("SWITCHBOARD_LEASE_TIMEOUT", LEASE.toString());
        // -Dcluster.logLevel=INFO keeps the nodes' elections and access logs when a failover needs reading
        env.put("SWITCHBOARD_LOG_LEVEL", System.getProperty("cluster.logLevel", "WARNING"));
        env.putAll(overrides);
        Node node = new Node(id, ServerProcess.onDatabase(database, id, env, JVM_OPTIONS));
        node.process.launch();
        nodes.add(node);
        return node;
    }

    private void awaitReady(Node node) throws Exception {
        node.process.awaitReady(READY_TIMEOUT);
        node.state = State.RUNNING;
    }

    /** Starts one more node on the same database (a follower joining); returns when it is ready. */
    Node addNode() throws Exception {
        Node node = launchNode();
        awaitReady(node);
        return node;
    }

    /** Every node ever started, in start order. */
    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The nodes running and not paused. */
    List<Node> running() {
        return nodes.stream().filter(n -> n.state == State.RUNNING).toList();
    }

    /**
     * The nodes a client would send to: running or paused. A paused node is still in the
     * rotation, as it would be behind a load balancer that has not noticed yet: its requests hang
     * until the client's timeout.
     */
    List<Node> serving() {
        return nodes.stream().filter(n -> n.state == State.RUNNING || n.state == State.PAUSED).toList();
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + nodes));
    }

    /** SIGKILL: no shutdown hook; its sockets (HTTP, Socket.io, PostgreSQL) close at once. */
    void kill(Node node) throws InterruptedException {
        node.process.kill();
        node.state = State.KILLED;
    }

    /** SIGTERM and wait for the exit (bounded); the exit status, -1 if it had to be killed. */
    int sigterm(Node node) throws InterruptedException {
        node.process.sigterm();
        int status = node.process.awaitExit(Duration.ofSeconds(30));
        if (status < 0) {
            node.process.kill();
        }
        node.state = State.STOPPED;
        return status;
    }

    /** SIGSTOP: the node freezes with its connections open (its PostgreSQL sessions too). */
    void pause(Node node) throws IOException, InterruptedException {
        node.process.pause();
        node.state = State.PAUSED;
    }

    /** SIGCONT: a paused node runs on, believing for a moment whatever it believed when it froze. */
    void resume(Node node) throws IOException, InterruptedException {
        node.process.resume();
        node.state = State.RUNNING;
    }

    /** Starts a killed or stopped node again on its ports and data directory; returns when it is ready. */
    void restart(Node node) throws Exception {
        if (node.state == State.RUNNING || node.state == State.PAUSED) {
            throw new IllegalStateException(node + " is still " + node.state);
        }
        node.state = State.STARTING;
        node.process.startAgain();
        node.state = State.RUNNING;
    }

    /** {@code GET /api/cluster} of one node (supervisor key); empty when it does not answer 200 within 2 s. */
    Optional<View> tryView(Node node) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/cluster"))
                .timeout(REQUEST_TIMEOUT).header("X-API-Key", TestServer.SUPERVISOR_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(parseView(node.id, r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code GET /api/cluster} of one node; fails when it does not answer. */
    View view(Node node) {
        return tryView(node).orElseThrow(() -> new AssertionError(node + " did not answer GET /api/cluster; " + logs()));
    }

    private static View parseView(String asked, String body) throws IOException {
        JsonNode j = JSON.readTree(body);
        JsonNode leader = j.path("leader");
        List<Member> members = new ArrayList<>();
        for (JsonNode m : j.path("nodes")) {
            members.add(new Member(m.path("node_id").asText(), m.path("url").asText(), m.path("role").asText(),
                m.path("last_seen").asText(null), m.path("lag").asLong(0)));
        }
        return new View(asked, j.path("mode").asText(), j.path("node_id").asText(), j.path("role").asText(),
            j.path("epoch").asLong(-1), leader.isObject() ? leader.path("node_id").asText(null) : null,
            leader.isObject() ? leader.path("url").asText(null) : null, List.copyOf(members));
    }

    /** Waits until every running node agrees (see the 3-argument form); the leader's own view. */
    View awaitAgreement() {
        return awaitAgreement(running(), v -> true, Duration.ofSeconds(20));
    }

    /**
     * Polls {@code GET /api/cluster} of {@code among} every 100 ms until they agree and
     * {@code also} holds for the agreed view: each answers in mode {@code postgres} with its own
     * node id, all name the same leader and the same epoch, that leader is one of {@code among}
     * and calls itself {@code leader}, and every other calls itself {@code follower}. Returns the
     * leader's view; on timeout fails with the last answers and the nodes' logs.
     */
    View awaitAgreement(Collection<Node> among, Predicate<View> also, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last = new LinkedHashMap<>();
        do {
            last.clear();
            List<View> views = new ArrayList<>();
            for (Node n : among) {
                Optional<View> v = tryView(n);
                last.put(n.id, v.<Object>map(x -> x).orElse("no answer"));
                v.ifPresent(views::add);
            }
            Optional<View> agreed = agreement(among, views);
            if (agreed.isPresent() && also.test(agreed.get())) {
                return agreed.get();
            }
            sleep(100);
        } while (System.nanoTime() < end);
        throw new AssertionError("no agreement within " + timeout + " among " + among + ": " + last.values() + "; " + logs());
    }

    private static Optional<View> agreement(Collection<Node> among, List<View> views) {
        if (views.size() != among.size() || views.isEmpty()) {
            return Optional.empty();
        }
        View first = views.getFirst();
        if (first.leaderId() == null) {
            return Optional.empty();
        }
        View leader = null;
        for (View v : views) {
            if (!v.mode().equals("postgres") || !v.nodeId().equals(v.askedNode()) || !first.leaderId().equals(v.leaderId())
                || first.epoch() != v.epoch()) {
                return Optional.empty();
            }
            boolean leads = v.nodeId().equals(v.leaderId());
            if (!v.role().equals(leads ? "leader" : "follower")) {
                return Optional.empty();
            }
            if (leads) {
                leader = v;
            }
        }
        return Optional.ofNullable(leader);
    }

    /** Polls one node's {@code GET /api/cluster} until {@code condition} holds (bounded); its view. */
    View awaitView(Node node, Predicate<View> condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Optional<View> v;
        do {
            v = tryView(node);
            if (v.isPresent() && condition.test(v.get())) {
                return v.get();
            }
            sleep(100);
        } while (System.nanoTime() < end);
        throw new AssertionError(node + " never got there within " + timeout + "; last: " + v.map(View::toString)
            .orElse("no answer") + "; " + logs());
    }

    /** A node's Prometheus {@code GET /metrics}: the sum of the series named {@code name}; fails if there is none. */
    double metric(Node node, String name) {
        String text;
        try {
            text = HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).timeout(REQUEST_TIMEOUT).GET()
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new AssertionError(node + " did not answer GET /metrics: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        double sum = 0;
        boolean found = false;
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            // name{labels} value [timestamp], or name value [timestamp]
            int brace = line.indexOf('{');
            int nameEnd = brace >= 0 ? brace : line.indexOf(' ');
            if (nameEnd > 0 && line.substring(0, nameEnd).equals(name)) {
                String rest = (brace >= 0 ? line.substring(line.lastIndexOf('}') + 1) : line.substring(nameEnd)).trim();
                sum += Double.parseDouble(rest.split("\\s+")[0]);
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError(name + " is not in GET /metrics of " + node);
        }
        return sum;
    }

    /** A connection to the cluster's database (the test's own, not one of the nodes'). */
    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    String database() {
        return database;
    }

    /** The highest committed seq of the audit log (0 when empty). */
    long maxSeq() throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM call_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The nodes whose lock session ({@code application_name = 'switchboard-lock <node id>'}) holds a
     * granted advisory lock in this cluster's database, as PostgreSQL sees it: exactly the leader,
     * or nobody during a takeover.
     */
    List<String> lockHolders() throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT a.application_name FROM pg_stat_activity a"
                 + " JOIN pg_locks l ON l.pid = a.pid WHERE l.locktype = 'advisory' AND l.granted"
                 + " AND a.datname = current_database() AND a.application_name LIKE '" + LOCK_SESSION + "%'")) {
            TreeSet<String> holders = new TreeSet<>();
            while (rs.next()) {
                holders.add(rs.getString(1).substring(LOCK_SESSION.length()));
            }
            return List.copyOf(holders);
        }
    }

    /**
     * {@code pg_terminate_backend} of the lock session of node {@code nodeId} in this cluster's
     * database (only ours: other tests may share the PostgreSQL server); how many were ended.
     */
    int terminateLockSession(String nodeId) throws SQLException {
        try (Connection c = jdbc();
             PreparedStatement s = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                 + " WHERE datname = current_database() AND application_name = ?")) {
            s.setString(1, LOCK_SESSION + nodeId);
            int ended = 0;
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ended += rs.getBoolean(1) ? 1 : 0;
                }
            }
            return ended;
        }
    }

    /** The nodes' log files, for failure messages. */
    String logs() {
        return "logs: " + nodes.stream().map(n -> n.id + " " + n.log()).collect(Collectors.joining(", "));
    }

    /** SIGTERM to every node at once (a paused one is continued first), then the database is dropped. */
    @Override
    public void close() throws InterruptedException {
        List<Node> live = nodes.stream().filter(n -> n.state != State.KILLED && n.state != State.STOPPED).toList();
        for (Node n : live) {
            if (n.state == State.PAUSED) {
                try {
                    n.process.resume();
                } catch (IOException e) {
                    n.process.kill();
                }
            }
            n.process.sigterm();
        }
        for (Node n : live) {
            if (n.process.awaitExit(Duration.ofSeconds(20)) < 0) {
                n.process.kill();
            }
            n.state = State.STOPPED;
        }
        TestServer.dropDatabase(database);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
