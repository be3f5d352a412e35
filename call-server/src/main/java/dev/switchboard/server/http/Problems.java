package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.wire.FieldError;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one error handler: every refusal becomes {@code application/problem+json} (RFC 9457)
 * {@code {type, title, status, detail, instance, errors: [{field, message}]}}. Anything unexpected
 * is logged and answered 500 without internals.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class.getName());
    public static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiProblem.class, Problems::send);
        routing.error(HttpException.class, (req, res, e) -> send(req, res, new ApiProblem(e.status().code(),
            e.status().reasonPhrase(), e.getMessage(), List.of())));
        routing.error(Exception.class, (req, res, e) -> {
            LOG.log(Level.SEVERE, "unexpected error on " + LogText.escape(req.prologue().method().text()) + " "
                + LogText.escape(req.path().absolute().path()), e);
            send(req, res, new ApiProblem(500, "Internal Server Error", "unexpected error; it was logged", List.of()));
        });
    }

    public static void send(ServerRequest req, ServerResponse res, ApiProblem p) {
        ObjectNode body = body(req.path().absolute().path(), p);
        if (p.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(p.retryAfterSeconds()));
        }
        res.status(Status.create(p.status()));
        res.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        res.send(Wire.writeBytes(body));
    }

    public static ObjectNode body(String instance, ApiProblem p) {
        ObjectNode body = Wire.object();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        body.put("instance", instance);
        ArrayNode errors = body.putArray("errors");
        for (FieldError e : p.errors()) {
            ObjectNode n = errors.addObject();
            n.put("field", e.field());
            n.put("message", e.message());
        }
        return body;
    }
}
