package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Sends wire JSON. */
public final class Json {

    private Json() {
    }

    public static void send(ServerResponse res, Status status, JsonNode body) {
        send(res, status, Wire.write(body));
    }

    /** Sends JSON that is already serialized. */
    public static void send(ServerResponse res, Status status, String json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    public static void send(ServerResponse res, JsonNode body) {
        send(res, Status.OK_200, body);
    }
}
