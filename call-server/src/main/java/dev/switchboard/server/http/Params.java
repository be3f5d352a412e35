package dev.switchboard.server.http;

import io.helidon.webserver.http.ServerRequest;

import java.util.List;

/** Query parameters, checked: a bad value is a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    /** The first value of {@code name}, or {@code null}. */
    static String string(ServerRequest req, String name) {
        List<String> values = req.query().all(name, List::of);
        return values.isEmpty() ? null : values.get(0);
    }

    /** A whole number in {@code [min, max]}, or {@code dflt} when absent. */
    static int integer(ServerRequest req, String name, int dflt, int min, int max) {
        String value = string(req, name);
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiProblem.badRequest(name, "must be a whole number from " + min + " to " + max);
    }
}
