package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.traffic.Traffic;
import dev.switchboard.server.traffic.TrafficGenerator;
import dev.switchboard.server.wire.FieldError;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/traffic}: the server's traffic generator. {@code GET} (supervisor) shows it;
 * {@code POST {calls_per_minute?, duration?}} (admin) starts it (201) or changes the running one
 * (200); {@code DELETE} (admin) stops it and ends the calls it was playing.
 */
public final class TrafficService implements HttpService {

    /** Rate of a start that names none: a calm demo. */
    static final int DEFAULT_CALLS_PER_MINUTE = 10;
    /** Length of a start that names none: long enough to show every rule fire, short enough to forget. */
    static final Duration DEFAULT_DURATION = Duration.ofMinutes(10);
    private static final Set<String> FIELDS = Set.of("calls_per_minute", "duration");

    private final Traffic traffic;
    private final Auth auth;
    private final long maxBodyBytes;
    private final java.util.function.Consumer<String> rejected;

    public TrafficService(Traffic traffic, Auth auth, long maxBodyBytes, java.util.function.Consumer<String> rejected) {
        this.traffic = traffic;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
        this.rejected = rejected;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", auth.supervisor(Params.only(this::status)))
            .post("/", auth.admin(Params.only(this::start)))
            .delete("/", auth.admin(Params.only(this::stop)));
    }

    private void status(ServerRequest req, ServerResponse res) {
        Json.send(res, traffic.status().json());
    }

    private void start(ServerRequest req, ServerResponse res) {
        boolean empty = req.headers().contentLength().orElse(-1L) == 0L;
        JsonNode body = empty ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
            : JsonBody.read(req, maxBodyBytes, rejected);
        if (!body.isMissingNode() && !body.isObject()) {
            throw ApiProblem.badRequest("", "the body must be a JSON object {calls_per_minute?, duration?}");
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "unknown field; allowed: calls_per_minute, duration"));
            }
        }
        int perMinute = DEFAULT_CALLS_PER_MINUTE;
        JsonNode rate = body.path("calls_per_minute");
        if (!rate.isMissingNode() && !rate.isNull()) {
            if (!rate.canConvertToInt() || !rate.isIntegralNumber()
                || rate.asInt() < 1 || rate.asInt() > TrafficGenerator.MAX_CALLS_PER_MINUTE) {
                errors.add(new FieldError("calls_per_minute",
                    "must be a whole number from 1 to " + TrafficGenerator.MAX_CALLS_PER_MINUTE));
            } else {
                perMinute = rate.asInt();
            }
        }
        Duration duration = DEFAULT_DURATION;
        JsonNode length = body.path("duration");
        if (!length.isMissingNode() && !length.isNull()) {
            Duration parsed = length.isTextual() ? parse(length.asText()) : null;
            if (parsed == null || parsed.toMillis() < 1000 || parsed.compareTo(TrafficGenerator.MAX_DURATION) > 0) {
                errors.add(new FieldError("duration", "must be an ISO-8601 duration from PT1S to PT8H (e.g. \"PT10M\")"));
            } else {
                duration = parsed;
            }
        }
        if (!errors.isEmpty()) {
            throw ApiProblem.badRequest("the traffic generator was not started: " + errors.getFirst().field() + " "
                + errors.getFirst().message(), errors);
        }
        Traffic.Started started = traffic.start(perMinute, duration, Auth.callerOf(req).actor());
        Json.send(res, started.fresh() ? Status.CREATED_201 : Status.OK_200, started.status().json());
    }

    private void stop(ServerRequest req, ServerResponse res) {
        Json.send(res, traffic.stop(TrafficGenerator.StopReason.STOPPED).json());
    }

    private static Duration parse(String text) {
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
