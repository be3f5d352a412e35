package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/** Sends wire JSON. */
public final class Json {

    private Json() {
    }

    public static void send(ServerResponse res, Status status, JsonNode body) {
        send(res, status, Wire.writeBytes(body));
    }

    /** Sends JSON that is already serialized. */
    public static void send(ServerResponse res, Status status, String json) {
        send(res, status, json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends JSON as UTF-8 bytes: as bytes, the response skips the server's search for an entity
     * writer (media support), which a String takes on every response.
     */
    private static void send(ServerResponse res, Status status, byte[] json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    public static void send(ServerResponse res, JsonNode body) {
        send(res, Status.OK_200, body);
    }
}
