package dev.switchboard.reliability;

import dev.switchboard.server.TestServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real call-server in a child JVM ({@code dev.switchboard.server.Main}, configured by
 * {@code SWITCHBOARD_*} environment variables exactly as in production) on free ports of
 * 127.0.0.1 and a fresh PostgreSQL database, so a test can {@code kill -9} it, restart it on the
 * same database, and read its heap with {@code jcmd}.
 *
 * <p>The class path is the one Maven resolved for this module ({@code target/server.classpath},
 * written by the dependency plugin), so the child runs exactly the call-server under test.
 *
 * <p>{@link #onDatabase} makes one node of a cluster instead ({@link ClusterNodes}): a database
 * someone else created and drops, ports and environment given by the caller, started when the
 * caller says, and stopped or continued with {@code SIGSTOP} / {@code SIGCONT}.
 */
final class ServerProcess implements AutoCloseable {

    private final Map<String, String> env = new HashMap<>();
    private final String database;
    /** Whether {@link #close} drops the database: false for a cluster's node (the cluster drops it). */
    private final boolean ownsDatabase;
    private final String logName;
    private final Path dataDir;
    private final Path logDir;
    private final List<String> jvmOptions;
    private Process process;
    private int starts;
    private boolean paused;

    private ServerProcess(Map<String, String> overrides, List<String> jvmOptions) throws IOException {
        this(newDatabase(), true, null, overrides, jvmOptions);
    }

    private ServerProcess(String database, boolean ownsDatabase, String name, Map<String, String> overrides,
                          List<String> jvmOptions) throws IOException {
        this.jvmOptions = jvmOptions;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        logName = "server-" + database + (name == null ? "" : "-" + name) + ".log";
        dataDir = Files.createTempDirectory("switchboard-process");
        logDir = Path.of(System.getProperty("figures.file", "target/x")).toAbsolutePath().getParent();
        env.put("SWITCHBOARD_HOST", "127.0.0.1");
        env.put("SWITCHBOARD_HTTP_PORT", String.valueOf(TestServer.freePort()));
        env.put("SWITCHBOARD_SOCKET_PORT", String.valueOf(TestServer.freePort()));
        env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
        env.put("SWITCHBOARD_DB_URL", jdbcUrl());
        env.put("SWITCHBOARD_DB_USER", "postgres");
        env.put("SWITCHBOARD_API_KEYS", TestServer.ADMIN_KEY + ":admin," + TestServer.INGEST_KEY + ":ingest,"
            + TestServer.SUPERVISOR_KEY + ":supervisor");
        env.put("SWITCHBOARD_LOG_LEVEL", "WARNING");
        env.putAll(overrides);
    }

    /** Creates the database and starts the server; waits until it is ready. */
    static ServerProcess start(Map<String, String> overrides, List<String> jvmOptions) throws Exception {
        ServerProcess p = new ServerProcess(overrides, jvmOptions);
        p.startAgain();
        return p;
    }

    /**
     * A server on an existing database that it neither creates nor drops (the nodes of a cluster
     * share one), not started yet: {@link #launch} then {@link #awaitReady}, or {@link #startAgain}.
     * {@code overrides} usually sets the ports too (a node must know its own URL); its log is
     * {@code server-<database>-<name>.log}.
     */
    static ServerProcess onDatabase(String database, String name, Map<String, String> overrides,
                                    List<String> jvmOptions) throws IOException {
        return new ServerProcess(database, false, name, overrides, jvmOptions);
    }

    private static String newDatabase() {
        String name = "sb_rel_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        TestServer.createDatabase(name);
        return name;
    }

    /** Starts (again) on the same database and ports; waits until {@code /observe/health/ready} is 200. */
    void startAgain() throws Exception {
        launch();
        awaitReady(Duration.ofSeconds(90));
    }

    /** Starts the child JVM on the same database and ports and returns at once. */
    void launch() throws IOException {
        String classpath = Files.readString(Path.of(System.getProperty("server.classpath.file", "target/server.classpath"))).trim();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classpath, "-Dio.netty.noUnsafe=true"));
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(jvmOptions);
        cmd.add("dev.switchboard.server.Main");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Files.createDirectories(logDir);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        process = pb.start();
        starts++;
        paused = false;
    }

    /** Waits until {@code /observe/health/ready} is 200; fails if the process ends first. */
    void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IllegalStateException("call-server exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/observe/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("call-server not ready in " + timeout + "; see " + log());
    }

    /** SIGKILL: no shutdown hook, no graceful stop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("call-server survived SIGKILL");
        }
    }

    /** Sends SIGTERM (what {@code docker stop} and systemd send) and returns at once. */
    void sigterm() {
        process.destroy();   // SIGTERM on Linux
    }

    /** Waits for the process to end: its exit status, or -1 if it still runs after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /**
     * SIGSTOP: the process is frozen (no thread runs, no timer fires, sockets stay open and the
     * kernel keeps accepting connections into its backlog) until {@link #resume}, as in a long GC
     * pause or a VM migration.
     */
    void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT: a paused process runs on from where it stopped. */
    void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(pid())).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes());
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + pid() + " failed: " + out);
        }
    }

    /** SIGTERM (graceful stop). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            if (paused) {
                try {
                    resume();   // a stopped process would hold SIGTERM pending for ever
                } catch (IOException e) {
                    process.destroyForcibly();
                }
            }
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    int starts() {
        return starts;
    }

    int httpPort() {
        return Integer.parseInt(env.get("SWITCHBOARD_HTTP_PORT"));
    }

    String baseUrl() {
        return "http://127.0.0.1:" + env.get("SWITCHBOARD_HTTP_PORT");
    }

    String socketUrl() {
        return "http://127.0.0.1:" + env.get("SWITCHBOARD_SOCKET_PORT");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/" + database;
    }

    String database() {
        return database;
    }

    Path log() {
        return logDir.resolve(logName);
    }

    /**
     * Whether it runs on the embedded H2 database: started with {@code SWITCHBOARD_DB_URL=""} (and
     * {@code SWITCHBOARD_DB_USER=sa}).
     */
    boolean embedded() {
        return env.get("SWITCHBOARD_DB_URL").isBlank();
    }

    /** The server's database; the embedded one only while the server is not running (H2 locks its file). */
    Connection jdbc() throws SQLException {
        if (embedded()) {
            return DriverManager.getConnection(dev.switchboard.server.config.ServerConfig.embeddedDbUrl(dataDir),
                env.get("SWITCHBOARD_DB_USER"), "");
        }
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** The output of {@code jcmd <pid> <command>}. */
    String jcmd(String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid())));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        if (ownsDatabase) {
            TestServer.dropDatabase(database);
        }
    }

}
