package dev.switchboard.benchmarks.load;

import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A load generator for call-server: full call lifecycles (initiated, routed, answered, hold,
 * resumed, ended) posted by N concurrent connections, one event per request or in arrays;
 * optionally with Socket.io subscribers measuring POST-to-push latency.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.switchboard.benchmarks.load.LoadGenerator \
 *   --url http://127.0.0.1:8080 --key KEY [--connections 64] [--seconds 30] [--batch 0]
 *   [--rate 0] [--subscribers 0] [--socket http://127.0.0.1:8081]
 * </pre>
 *
 * Only ever point it at a server on this machine (127.0.0.1). The run is bounded by --seconds.
 */
public final class LoadGenerator {

    private static final String[] QUEUES = {"medical_spanish", "medical_english", "legal_french"};
    private static final String[] TYPES = {"call_initiated", "call_routed", "call_answered", "call_hold",
        "call_resumed", "call_ended"};

    private final String url;
    private final String key;
    private final int connections;
    private final int seconds;
    private final int batch;
    private final double rate;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final LongAdder events = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private final long[][] latencies;
    private final int[] latencyCount;
    private final AtomicLong callSeq = new AtomicLong();
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    LoadGenerator(String url, String key, int connections, int seconds, int batch, double rate) {
        this.url = url;
        this.key = key;
        this.connections = connections;
        this.seconds = seconds;
        this.batch = batch;
        this.rate = rate;
        this.latencies = new long[connections][];
        this.latencyCount = new int[connections];
        for (int i = 0; i < connections; i++) {
            latencies[i] = new long[1 << 16];
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String url = a.getOrDefault("url", "http://127.0.0.1:8080");
        if (!URI.create(url).getHost().equals("127.0.0.1") && !URI.create(url).getHost().equals("localhost")) {
            throw new IllegalArgumentException("load is only sent to this machine (127.0.0.1 / localhost)");
        }
        String key = a.get("key");
        if (key == null) {
            throw new IllegalArgumentException("--key is required (an ingest or admin key)");
        }
        LoadGenerator g = new LoadGenerator(url, key, Integer.parseInt(a.getOrDefault("connections", "64")),
            Integer.parseInt(a.getOrDefault("seconds", "30")), Integer.parseInt(a.getOrDefault("batch", "0")),
            Double.parseDouble(a.getOrDefault("rate", "0")));
        int subscribers = Integer.parseInt(a.getOrDefault("subscribers", "0"));
        Subscribers subs = subscribers > 0 ? new Subscribers(a.getOrDefault("socket", "http://127.0.0.1:8081"), key,
            subscribers) : null;
        g.run(subs);
    }

    void run(Subscribers subs) throws InterruptedException {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(5, Math.max(1, seconds / 6)));
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        Thread[] workers = new Thread[connections];
        long[] measuredStart = {0};
        long eventsAtStart;
        for (int w = 0; w < connections; w++) {
            int id = w;
            workers[w] = Thread.ofPlatform().name("load-" + w).start(() -> work(id, warmupEnd, end));
        }
        while (System.nanoTime() < warmupEnd) {
            Thread.sleep(10);
        }
        eventsAtStart = events.sum();
        long requestsAtStart = requests.sum();
        measuredStart[0] = System.nanoTime();
        if (subs != null) {
            subs.reset();
        }
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - measuredStart[0]) / 1e9;
        long n = events.sum() - eventsAtStart;
        long r = requests.sum() - requestsAtStart;
        List<Long> all = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            for (int i = 0; i < latencyCount[w]; i++) {
                all.add(latencies[w][i]);
            }
        }
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("mode=%s connections=%d rate=%s measured=%.1fs%n", batch > 0 ? "batch(" + batch + ")" : "single",
            connections, rate > 0 ? rate + "/s" : "max", elapsed);
        System.out.printf("events=%d (%.0f events/s) requests=%d (%.0f req/s) errors=%d statuses=%s%n", n, n / elapsed, r,
            r / elapsed, errors.sum(), statuses);
        System.out.printf("request latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n", pct(sorted, 50),
            pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        if (subs != null) {
            Thread.sleep(2_000);
            subs.report(n);
            subs.close();
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    private void work(int worker, long warmupEnd, long end) {
        double perWorkerRate = rate / connections;
        long intervalNs = perWorkerRate > 0 ? (long) (1e9 / perWorkerRate) : 0;
        long next = System.nanoTime();
        while (System.nanoTime() < end) {
            List<String[]> calls = new ArrayList<>();
            int callsPerRequest = batch > 0 ? Math.max(1, batch / TYPES.length) : 1;
            for (int c = 0; c < callsPerRequest; c++) {
                calls.add(new String[] {runId + "-" + callSeq.incrementAndGet(), QUEUES[(int) (callSeq.get() % QUEUES.length)]});
            }
            if (batch > 0) {
                // one array: every call's six events, in order per call
                StringBuilder body = new StringBuilder("[");
                for (int step = 0; step < TYPES.length; step++) {
                    for (String[] call : calls) {
                        if (body.length() > 1) {
                            body.append(',');
                        }
                        body.append(event(call[0], call[1], step));
                    }
                }
                body.append(']');
                next = pace(next, intervalNs * TYPES.length * calls.size());
                post(worker, body.toString(), TYPES.length * calls.size(), warmupEnd);
            } else {
                for (int step = 0; step < TYPES.length && System.nanoTime() < end; step++) {
                    next = pace(next, intervalNs);
                    post(worker, event(calls.get(0)[0], calls.get(0)[1], step), 1, warmupEnd);
                }
            }
        }
    }

    private static long pace(long next, long intervalNs) {
        if (intervalNs <= 0) {
            return next;
        }
        long now = System.nanoTime();
        if (next > now) {
            LockSupport.parkNanos(next - now);
        }
        return Math.max(next, now - intervalNs * 10) + intervalNs;
    }

    private static String event(String callId, String queue, int step) {
        String data = switch (step) {
            case 0 -> "{\"type\":\"voice\",\"queue_id\":\"" + queue + "\"}";
            case 1 -> "{\"agent_id\":\"load-agent-" + Math.floorMod(callId.hashCode(), 500) + "\"}";
            case 5 -> "{\"end_reason\":\"completed\",\"duration\":120}";
            default -> "{}";
        };
        return "{\"event_id\":\"" + callId + "-" + step + "\",\"type\":\"" + TYPES[step] + "\",\"call_id\":\"" + callId
            + "\",\"data\":" + data + "}";
    }

    private void post(int worker, String body, int eventCount, long warmupEnd) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/events"))
            .timeout(Duration.ofSeconds(30))
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - t0;
            statuses.computeIfAbsent(res.statusCode(), k -> new LongAdder()).increment();
            if (res.statusCode() >= 300 && res.statusCode() != 207) {
                errors.increment();
            } else if (res.statusCode() == 207) {
                errors.increment();
            }
            events.add(eventCount);
            requests.increment();
            if (t0 >= warmupEnd) {
                if (latencyCount[worker] == latencies[worker].length) {
                    latencies[worker] = Arrays.copyOf(latencies[worker], latencies[worker].length * 2);
                }
                latencies[worker][latencyCount[worker]++] = took;
            }
        } catch (Exception e) {
            errors.increment();
            statuses.computeIfAbsent(-1, k -> new LongAdder()).increment();
        }
    }

    /** Socket.io subscribers measuring push latency (receipt time minus the event's committed timestamp). */
    static final class Subscribers implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private final long[][] latencies;
        private final int[] counts;
        private volatile boolean measuring;

        Subscribers(String url, String key, int n) throws InterruptedException {
            latencies = new long[n][1 << 16];
            counts = new int[n];
            CountDownLatch subscribed = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                IO.Options o = new IO.Options();
                o.forceNew = true;
                o.transports = new String[] {"websocket"};
                o.auth = Map.of("token", key);
                Socket s = IO.socket(URI.create(url), o);
                s.on(Socket.EVENT_CONNECT, x -> s.emit("subscribe", new JSONObject()));
                s.on("subscribed", x -> subscribed.countDown());
                s.on("call_event", x -> {
                    if (!measuring) {
                        return;
                    }
                    JSONObject p = (JSONObject) x[0];
                    long sent = Instant.parse(p.optJSONObject("event").optString("timestamp")).toEpochMilli();
                    long lat = System.currentTimeMillis() - sent;
                    synchronized (this) {
                        if (counts[id] == latencies[id].length) {
                            latencies[id] = Arrays.copyOf(latencies[id], latencies[id].length * 2);
                        }
                        latencies[id][counts[id]++] = lat;
                    }
                });
                s.connect();
                sockets.add(s);
            }
            if (!subscribed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("subscribers did not all subscribe");
            }
        }

        void reset() {
            measuring = true;
        }

        synchronized void report(long posted) {
            measuring = false;
            List<Long> all = new ArrayList<>();
            long min = Long.MAX_VALUE;
            for (int i = 0; i < counts.length; i++) {
                min = Math.min(min, counts[i]);
                for (int j = 0; j < counts[i]; j++) {
                    all.add(latencies[i][j]);
                }
            }
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("subscribers=%d pushes received=%d (fewest per subscriber %d, events posted while measuring %d)%n",
                counts.length, sorted.length, min, posted);
            System.out.printf("POST-to-push latency ms: p50=%.1f p90=%.1f p99=%.1f max=%.1f%n", pct(sorted, 50) * 1e6,
                pct(sorted, 90) * 1e6, pct(sorted, 99) * 1e6, sorted.length == 0 ? 0 : (double) sorted[sorted.length - 1]);
        }

        @Override
        public void close() {
            sockets.forEach(Socket::close);
        }
    }
}
