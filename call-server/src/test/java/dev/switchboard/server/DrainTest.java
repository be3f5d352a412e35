package dev.switchboard.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link Drain} filter and stop sequence on a small Helidon server whose one route waits for
 * the test, so that a request is surely in flight when the stop begins; then the whole
 * {@link Switchboard#close()} on a real server.
 */
class DrainTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final LogCapture capture = LogCapture.detached("");
    private final List<LogRecord> logged = capture.records;
    private WebServer web;

    private Drain serve(Duration timeout) {
        capture.attach();
        Drain drain = new Drain(timeout, () -> 0);
        web = WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .addFeature(ObserveFeature.just(HealthObserver.builder().details(true).addCheck(drain.readiness()).build()))
            .routing(r -> r.addFilter(drain)
                .get("/slow", (req, res) -> {
                    release.await(30, TimeUnit.SECONDS);
                    res.send("done");
                })
                .post("/fast", (req, res) -> res.send("fast")))
            .build()
            .start();
        return drain;
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        capture.close();
        if (web != null) {
            web.stop();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(condition.getAsBoolean(), "condition not met in 10 s");
    }

    @Test
    void whileDrainingNewRequestsGet503WithRetryAfterAndTheOneInFlightCompletes() throws Exception {
        Drain drain = serve(Duration.ofSeconds(10));
        assertEquals(200, send(request("/observe/health/ready")).statusCode());
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("/slow").timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
        await(() -> drain.inFlight() == 1);

        AtomicLong stepRanAt = new AtomicLong();
        AtomicLong slowDoneAt = new AtomicLong();
        slow.thenRun(() -> slowDoneAt.set(System.nanoTime()));
        Thread stopper = Thread.ofPlatform().start(() -> drain.stop(List.of(
            new Drain.Step("component", () -> stepRanAt.set(System.nanoTime())))));
        await(drain::draining);

        HttpResponse<String> refused = send(request("/fast").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")));
        assertEquals(503, refused.statusCode());
        assertEquals(String.valueOf(Drain.RETRY_AFTER_SECONDS), refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals("close", refused.headers().firstValue("Connection").orElse("").toLowerCase());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.body().contains("\"status\":503") && refused.body().contains("stopping"), refused.body());
        assertEquals(503, send(request("/observe/health/ready")).statusCode(), "readiness is DOWN at once");
        assertEquals(0, stepRanAt.get(), "no component stops while a request is in flight");

        release.countDown();
        assertEquals(200, slow.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals("done", slow.get().body());
        stopper.join(10_000);
        assertFalse(stopper.isAlive());
        assertTrue(stepRanAt.get() > 0 && slowDoneAt.get() > 0);
        String line = logged.stream().filter(r -> r.getLoggerName().equals(Drain.class.getName()))
            .map(LogRecord::getMessage).findFirst().orElse("");
        assertTrue(line.startsWith("Drained in ") && line.contains("1 request(s) in flight finished, 1 refused"), line);
    }

    @Test
    void aRequestStillInFlightAtTheDeadlineIsCutOffWithAWarningAndTheStepsStillRun() throws Exception {
        Drain drain = serve(Duration.ofMillis(400));
        http.sendAsync(request("/slow").timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding());
        await(() -> drain.inFlight() == 1);
        List<String> ran = new ArrayList<>();
        long t0 = System.nanoTime();
        drain.stop(List.of(new Drain.Step("quick", () -> ran.add("quick"))));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms >= 390 && ms < 2_000, "stop took " + ms + " ms");
        LogRecord warning = logged.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        assertTrue(warning.getMessage().contains("not finished: 1 request(s) in flight;"), warning.getMessage());
        assertEquals(List.of("quick"), ran, "a step after the deadline still runs");
    }

    @Test
    void stopRunsOnceAndALaterCallWaitsForIt() throws Exception {
        Drain drain = serve(Duration.ofSeconds(5));
        CountDownLatch inStep = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Drain.Step> steps = List.of(new Drain.Step("slow step", () -> {
            inStep.countDown();
            ran.add("step");
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread first = Thread.ofPlatform().start(() -> drain.stop(steps));
        assertTrue(inStep.await(5, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        drain.stop(steps);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) >= 150, "the second call waited for the first");
        first.join(5_000);
        assertEquals(List.of("step"), ran);
    }

    /** The real sequence: a closed server logs one INFO line and nothing worse; a second close is harmless. */
    @Test
    void switchboardCloseDrainsEverythingAndLogsWhatItDid() {
        TestServer s = TestServer.start(TestServer.Backend.H2, Map.of("SWITCHBOARD_SLA_MAX_WAIT", "PT0.2S"));
        try {
            capture.attach();
            for (int i = 0; i < 20; i++) {
                assertEquals(201, s.postEvent(Events.initiated("d" + i, "drain-" + i, "medical_spanish")).statusCode());
            }
            s.app().close();   // SLA timers of these calls are due about now: they fire, or are rebuilt at the next start
            s.app().close();
            String problems = logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(r -> r.getLevel() + " " + r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()))
                .toList().toString();
            assertEquals("[]", problems);
            List<String> lines = logged.stream().filter(r -> r.getLoggerName().equals(Drain.class.getName()))
                .map(LogRecord::getMessage).toList();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("database pool"), lines.get(0));
        } finally {
            s.destroy();
        }
    }
}
