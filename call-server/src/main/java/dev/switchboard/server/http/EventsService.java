package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.call.Rejection;
import dev.switchboard.server.ingest.Ingestor;
import dev.switchboard.server.ingest.Outcome;
import dev.switchboard.server.observe.AccessLog;
import dev.switchboard.server.observe.Telemetry;
import dev.switchboard.server.wire.EventParser;
import dev.switchboard.server.wire.FieldError;
import dev.switchboard.server.wire.IncomingEvent;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /api/events}: one event, or a JSON array of them with a result per item.
 *
 * <p>Statuses for one event: 201 committed; 200 a resend of an accepted {@code event_id}
 * ({@code duplicate: true}); 400 invalid; 404 unknown call; 409 transition not allowed; 413 body
 * over the limit; 415 not JSON; 422 unknown queue; 503 storage unavailable (with
 * {@code Retry-After}; resend the same {@code event_id}). For an array: 201 (or 200) when every
 * item was accepted, else 207 with each item's own status in {@code results}.
 */
public final class EventsService implements HttpService {

    private static final Logger LOG = Logger.getLogger(EventsService.class.getName());

    /** Most events in one array. */
    public static final int MAX_BATCH = 1000;

    private final Ingestor ingestor;
    private final Auth auth;
    private final long maxBodyBytes;
    private final Telemetry telemetry;

    public EventsService(Ingestor ingestor, Auth auth, long maxBodyBytes, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.ingestor = ingestor;
        this.auth = auth;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", auth.ingest(Params.only(this::post)));
    }

    private void post(ServerRequest req, ServerResponse res) {
        long t0 = System.nanoTime();
        try {
            postTimed(req, res);
        } finally {
            telemetry.recordIngest(java.time.Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private void postTimed(ServerRequest req, ServerResponse res) {
        JsonNode body = JsonBody.read(req, maxBodyBytes, ingestor::countRejected);
        if (body.isArray()) {
            postBatch((ArrayNode) body, req, res);
            return;
        }
        Outcome outcome = switch (EventParser.parse(body)) {
            case EventParser.Parsed.Invalid bad -> {
                ingestor.countRejected("invalid");
                throw ApiProblem.badRequest("the event is invalid: " + summary(bad.errors()), bad.errors());
            }
            case EventParser.Parsed.Ok ok -> {
                req.context().register(new AccessLog.CallNote(ok.event().event().callId()));
                yield ingestor.ingest(ok.event());
            }
        };
        switch (outcome) {
            case Outcome.Created c -> Json.send(res, Status.CREATED_201, c.json());
            case Outcome.Duplicate d -> Json.send(res, Status.OK_200, d.reply());
            case Outcome.Rejected r -> throw problem(r.rejection());
            case Outcome.Unavailable u -> throw unavailable(u);
        }
    }

    private void postBatch(ArrayNode items, ServerRequest req, ServerResponse res) {
        if (items.isEmpty()) {
            throw ApiProblem.badRequest("", "an array of events must not be empty");
        }
        if (items.size() > MAX_BATCH) {
            throw ApiProblem.badRequest("", "an array may hold at most " + MAX_BATCH + " events (got " + items.size() + ")");
        }
        ObjectNode[] results = new ObjectNode[items.size()];
        List<IncomingEvent> parsed = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            switch (EventParser.parse(items.get(i))) {
                case EventParser.Parsed.Invalid bad -> {
                    ingestor.countRejected("invalid");
                    parsed.add(null);
                    results[i] = problemResult(i, req, ApiProblem.badRequest("event " + i + " is invalid: "
                        + summary(bad.errors()), prefixed(bad.errors(), i)));
                }
                case EventParser.Parsed.Ok ok -> {
                    parsed.add(ok.event());
                }
            }
        }
        // one worker per call: a call's events in order (in one commit where they can), calls in parallel
        Ingestor.perCall(parsed, indexes -> {
            try {
                List<Outcome> outcomes = ingestor.ingestCall(parsed, indexes);
                for (int k = 0; k < indexes.size(); k++) {
                    results[indexes.get(k)] = itemResult(indexes.get(k), req, outcomes.get(k));
                }
            } catch (RuntimeException e) {
                // one call's failure never turns the whole array into a 5xx: the others stand
                LOG.log(Level.SEVERE, "events " + indexes + " of an array failed", e);
                for (int i : indexes) {
                    if (results[i] == null) {
                        results[i] = problemResult(i, req, new ApiProblem(500, "Internal Server Error",
                            "unexpected error; it was logged; this event may not have been stored", List.of()));
                    }
                }
            }
        });
        ArrayNode out = Wire.array();
        boolean allOk = true;
        boolean anyCreated = false;
        for (ObjectNode r : results) {
            out.add(r);
            int status = r.path("status").asInt();
            allOk &= status == 200 || status == 201;
            anyCreated |= status == 201;
        }
        ObjectNode body = Wire.object();
        body.set("results", out);
        Json.send(res, allOk ? (anyCreated ? Status.CREATED_201 : Status.OK_200) : Status.create(207), body);
    }

    private static ObjectNode itemResult(int index, ServerRequest req, Outcome outcome) {
        return switch (outcome) {
            case Outcome.Created c -> okResult(index, 201, c.reply());
            case Outcome.Duplicate d -> okResult(index, 200, d.reply());
            case Outcome.Rejected r -> problemResult(index, req, problem(r.rejection()));
            case Outcome.Unavailable u -> problemResult(index, req, unavailable(u));
        };
    }

    private static ObjectNode okResult(int index, int status, ObjectNode reply) {
        ObjectNode r = Wire.object();
        r.put("index", index);
        r.put("status", status);
        r.setAll(reply);
        return r;
    }

    private static ObjectNode problemResult(int index, ServerRequest req, ApiProblem p) {
        ObjectNode r = Wire.object();
        r.put("index", index);
        r.put("status", p.status());
        r.set("problem", Problems.body(req.path().absolute().path(), p));
        return r;
    }

    static ApiProblem problem(Rejection r) {
        List<FieldError> errors = List.of(new FieldError(r.field() == null ? "" : r.field(), r.message()));
        return switch (r.reason()) {
            case UNKNOWN_CALL -> new ApiProblem(404, "Not Found", r.message(), errors);
            case UNKNOWN_QUEUE -> new ApiProblem(422, "Unprocessable Content", r.message(), errors);
            case ILLEGAL_TRANSITION -> new ApiProblem(409, "Conflict", r.message(), errors);
            case INVALID -> ApiProblem.badRequest(r.message(), errors);
        };
    }

    private static ApiProblem unavailable(Outcome.Unavailable u) {
        return new ApiProblem(503, "Service Unavailable", "the event was not stored (" + u.reason()
            + "); resend it with the same event_id", List.of(), 1);
    }

    private static String summary(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(e.field().isEmpty() ? "" : e.field() + " ").append(e.message());
        }
        return sb.toString();
    }

    private static List<FieldError> prefixed(List<FieldError> errors, int index) {
        return errors.stream().map(e -> new FieldError("[" + index + "]" + (e.field().isEmpty() ? "" : "." + e.field()),
            e.message())).toList();
    }
}
