package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.wire.IncomingEvent;
import dev.switchboard.server.wire.Wire;

import java.io.IOException;
import java.net.ConnectException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A follower's way to the leader for events: the events its clients post (validated and
 * authenticated here) wait in one queue and go to the leader in batches ({@code POST
 * /cluster/events} with the cluster secret), up to {@link #IN_FLIGHT} batches at a time; each
 * client gets the leader's own outcome, once the leader has committed (or refused) its event.
 *
 * <p><b>Failover.</b> A batch the leader never received (connection refused, or the node answers
 * that it does not lead) is sent again to whichever node leads next, for up to twice the lease:
 * nothing of it was stored, so nothing can be stored twice. A batch whose answer is lost (the
 * leader died after receiving it) is answered 503: it may or may not be stored, and the client's
 * resend with the same {@code event_id} tells.
 */
final class Forwarder implements Ingestor.Forward, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Forwarder.class.getName());

    /** Header carrying the cluster secret on node-to-node calls. */
    static final String SECRET_HEADER = "X-Switchboard-Cluster-Secret";
    private static final HeaderName SECRET = HeaderNames.create(SECRET_HEADER);
    /** Most events in one forwarded batch. */
    static final int MAX_BATCH = 500;
    /** Batches on their way at once. */
    static final int IN_FLIGHT = Integer.getInteger("switchboard.forward.inFlight", 2);

    private record Pending(IncomingEvent in, CompletableFuture<Outcome> done) {
    }

    private final String secret;
    private final String selfUrl;
    private final Supplier<Optional<Leadership.Leader>> leader;
    private final Runnable refreshLeader;
    private final Duration retryFor;
    private final Duration requestTimeout;
    private final Ingestor ingestor;
    /**
     * Helidon's blocking client on virtual threads, keeping connections to the leader open:
     * measured, it costs a fraction of the JDK's asynchronous HttpClient per batch (BENCHMARKS.md).
     */
    private final WebClient http = WebClient.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.concurrent.ExecutorService exchanges = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** A status and body from the leader. */
    private record Answer(int status, String body) {
    }
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final LongAdder forwarded = new LongAdder();
    private volatile boolean running = true;
    private Thread dispatcher;

    /**
     * @param leader        the leader as last read
     * @param refreshLeader reads the leadership row again (after a failed send)
     * @param retryFor      how long a batch nobody received is offered to the next leader
     */
    Forwarder(String secret, String selfUrl, Supplier<Optional<Leadership.Leader>> leader, Runnable refreshLeader,
              Duration retryFor, Ingestor ingestor) {
        this.secret = secret;
        this.selfUrl = selfUrl;
        this.leader = leader;
        this.refreshLeader = refreshLeader;
        this.retryFor = retryFor;
        // a loaded leader answers in milliseconds; one that does not within this is hung or gone
        this.requestTimeout = retryFor.plusSeconds(2);
        this.ingestor = ingestor;
    }

    void start() {
        dispatcher = Thread.ofPlatform().name("switchboard-forwarder").daemon().start(this::dispatch);
    }

    /** Events handed to the leader so far. */
    long forwarded() {
        return forwarded.sum();
    }

    @Override
    public Outcome event(IncomingEvent in) {
        if (!running) {
            return new Outcome.Unavailable("this node is stopping");
        }
        Pending p = new Pending(in, new CompletableFuture<>());
        queue.add(p);
        try {
            return p.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Unavailable("interrupted");
        } catch (ExecutionException e) {
            return new Outcome.Unavailable("forwarding failed: " + e.getCause());
        }
    }

    private void dispatch() {
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                inFlight.acquire();
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                Thread.ofVirtual().name("switchboard-forward").start(() -> {
                    try {
                        send(batch);
                    } catch (RuntimeException e) {
                        LOG.warning("forwarding a batch failed: " + e);
                        fail(batch, "forwarding failed");
                    } finally {
                        inFlight.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(List<Pending> batch) {
        long deadline = System.nanoTime() + retryFor.toNanos();
        while (true) {
            Optional<Leadership.Leader> target = leader.get();
            if (target.isPresent() && selfUrl.equals(target.get().url())) {
                if (ingestor.leading()) {
                    local(batch);   // this node took the lead while the batch waited
                    return;
                }
            } else if (target.isPresent()) {
                Optional<List<Outcome>> outcomes = post(target.get().url(), target.get().epoch(), batch);
                if (outcomes == null) {
                    return;   // answered (503) already: the leader may have stored part of it
                }
                if (outcomes.isPresent()) {
                    List<Outcome> got = outcomes.get();
                    for (int i = 0; i < batch.size(); i++) {
                        batch.get(i).done().complete(got.get(i));
                    }
                    forwarded.add(batch.size());
                    return;
                }
            }
            // nobody leads yet, or the node we took for the leader did not receive it: wait for the next
            if (System.nanoTime() > deadline || !running) {
                fail(batch, "no node of the cluster leads right now");
                return;
            }
            sleep(100);
            refreshLeader.run();
        }
    }

    /**
     * @return the outcomes; empty when the batch was not received (safe to send again);
     *         {@code null} when the batch was answered 503 here (it may have been received)
     */
    private Optional<List<Outcome>> post(String url, long sentTo, List<Pending> batch) {
        ArrayNode events = Wire.array();
        for (Pending p : batch) {
            events.add(p.in().posted());
        }
        ObjectNode body = Wire.object();
        body.set("events", events);
        String json = Wire.write(body);
        CompletableFuture<Answer> exchange = CompletableFuture.supplyAsync(() -> {
            try (HttpClientResponse r = http.post(url + "/cluster/events")
                .header(SECRET, secret)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .readTimeout(requestTimeout)
                .submit(json)) {
                return new Answer(r.status().code(), r.as(String.class));
            }
        }, exchanges);
        Answer res;
        try {
            res = await(exchange, sentTo);
        } catch (ConnectException e) {
            return Optional.empty();   // nothing reached it
        } catch (IOException e) {
            LOG.warning("the leader at " + url + " did not answer a batch of " + batch.size() + " events: " + e);
            fail(batch, "the leader did not answer; it may have stored the event: resend it with the same event_id");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(batch, "interrupted");
            return null;
        }
        if (res.status() == ClusterService.NOT_LEADER || res.status() == 503) {
            // it handled nothing: it does not lead (any more), or it is draining (SIGTERM) and
            // refused the request before reading it
            return Optional.empty();
        }
        if (res.status() != 200) {
            LOG.warning("the leader at " + url + " refused a batch: " + res.status() + " " + res.body());
            fail(batch, "the leader refused the batch (" + res.status() + ")");
            return null;
        }
        JsonNode results = Wire.read(res.body()).path("results");
        List<Outcome> out = new ArrayList<>(batch.size());
        for (JsonNode r : results) {
            out.add(Outcomes.decode(r));
        }
        if (out.size() != batch.size()) {
            fail(batch, "the leader answered " + out.size() + " of " + batch.size() + " events");
            return null;
        }
        return Optional.of(out);
    }

    /**
     * The leader's answer, or an {@link IOException} when it has none within the timeout or when
     * another node has taken the lead meanwhile: a leader that hangs holds no batch for longer
     * than the takeover (its commits are fenced from then on; the client resends).
     */
    private Answer await(CompletableFuture<Answer> answer, long sentTo)
        throws IOException, InterruptedException {
        long end = System.nanoTime() + requestTimeout.toNanos();
        while (true) {
            try {
                return answer.get(50, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                    if (t instanceof ConnectException refused) {
                        throw refused;
                    }
                }
                throw new IOException(e.getCause().toString(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                Optional<Leadership.Leader> now = leader.get();
                if (now.isPresent() && now.get().epoch() != sentTo) {
                    answer.cancel(true);
                    throw new IOException("the lead moved to " + now.get().nodeId() + " (epoch " + now.get().epoch()
                        + ") while the batch waited for an answer");
                }
                if (System.nanoTime() > end) {
                    answer.cancel(true);
                    throw new IOException("no answer within " + requestTimeout);
                }
            }
        }
    }

    private void local(List<Pending> batch) {
        List<Outcome> outcomes = ClusterService.ingestAll(ingestor, batch.stream().map(Pending::in).toList());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(outcomes.get(i));
        }
    }

    private static void fail(List<Pending> batch, String reason) {
        for (Pending p : batch) {
            p.done().complete(new Outcome.Unavailable(reason));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (dispatcher != null) {
            try {
                dispatcher.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        inFlight.release(IN_FLIGHT);
        exchanges.shutdownNow();
    }
}
