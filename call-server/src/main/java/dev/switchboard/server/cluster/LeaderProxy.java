package dev.switchboard.server.cluster;

import dev.switchboard.server.http.ApiProblem;
import dev.switchboard.server.http.Problems;
import dev.switchboard.server.ingest.Ingestor;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * On a follower, the requests only the leader can answer go to the leader as they are, and its
 * answer comes back unchanged: supervisor actions (they are entries of the log the leader writes)
 * the webhook subscriptions (the leader delivers) and the traffic generator (it runs on the leader,
 * next to the engine it posts to). Runs after the key check, so a bad key is
 * refused here; the leader checks the key again (every node has the same keys), or the session
 * token again (sessions are rows of the shared database). Sign-ins and accounts are not proxied:
 * any node answers them from that database. Events are not
 * proxied: they go through the {@link Forwarder} in batches.
 */
final class LeaderProxy implements Filter {

    /** Marks a proxied request: a node that does not lead answers it 503 rather than proxy it again. */
    static final HeaderName PROXIED_BY = HeaderNames.create("X-Switchboard-Proxied-By");
    private static final List<HeaderName> REQUEST_HEADERS = List.of(HeaderNames.create("X-API-Key"),
        HeaderNames.AUTHORIZATION, HeaderNames.COOKIE, HeaderNames.CONTENT_TYPE, HeaderNames.ACCEPT);
    private static final List<String> RESPONSE_HEADERS = List.of("content-type", "retry-after", "location");

    private final String nodeId;
    private final Ingestor ingestor;
    private final Supplier<Optional<Leadership.Leader>> leader;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1).build();

    LeaderProxy(String nodeId, Ingestor ingestor, Supplier<Optional<Leadership.Leader>> leader) {
        this.nodeId = nodeId;
        this.ingestor = ingestor;
        this.leader = leader;
    }

    /** Whether only the leader can answer this request. */
    static boolean leaderOnly(Method method, String path) {
        if (!path.startsWith("/api/") || path.equals("/api/events")) {
            return false;
        }
        if (path.equals("/api/webhooks") || path.equals("/api/traffic")) {
            return true;   // the subscriptions as the leader delivers them; the generator the leader runs
        }
        if (path.equals("/api/session") || path.equals("/api/users") || path.startsWith("/api/users/")) {
            return false;   // accounts and sessions are rows of the shared database: any node answers
        }
        return method != Method.GET && method != Method.HEAD && method != Method.OPTIONS;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().absolute().path();
        if (ingestor.leading() || !leaderOnly(req.prologue().method(), path)) {
            chain.proceed();
            return;
        }
        Optional<Leadership.Leader> target = leader.get();
        if (req.headers().contains(PROXIED_BY) || target.isEmpty()) {
            Problems.send(req, res, new ApiProblem(503, "Service Unavailable",
                "no node of the cluster leads right now; retry", List.of(), 1));
            return;
        }
        byte[] body;
        try (var in = req.content().inputStream()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            Problems.send(req, res, ApiProblem.badRequest("", "cannot read the body: " + e.getMessage()));
            return;
        }
        String query = req.query().rawValue();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.get().url() + path + (query.isEmpty() ? "" : "?" + query)))
            .timeout(Duration.ofSeconds(30))
            .header(PROXIED_BY.defaultCase(), nodeId)
            .method(req.prologue().method().text(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (HeaderName h : REQUEST_HEADERS) {
            req.headers().first(h).ifPresent(v -> b.header(h.defaultCase(), v));
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            Problems.send(req, res, new ApiProblem(503, "Service Unavailable",
                "the leader did not answer (" + e.getMessage() + "); retry", List.of(), 1));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Problems.send(req, res, new ApiProblem(503, "Service Unavailable", "interrupted", List.of(), 1));
            return;
        }
        res.status(Status.create(answer.statusCode()));
        for (String h : RESPONSE_HEADERS) {
            answer.headers().firstValue(h).ifPresent(v -> res.header(HeaderNames.create(h), v));
        }
        res.send(answer.body());
    }
}
