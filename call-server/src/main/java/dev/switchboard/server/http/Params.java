package dev.switchboard.server.http;

import dev.switchboard.server.wire.FieldError;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * Query parameters, checked: a bad value is a 400 naming the parameter, and so is a parameter the
 * route does not take.
 */
public final class Params {

    private Params() {
    }

    /**
     * {@code handler} for a route whose query parameters are exactly {@code names} (none when
     * empty): the one place routes declare what they take, next to the route in each service's
     * {@code routing}. Any other name is a 400 with one error per unknown name,
     * {@code {field: <name>, message: "unknown query parameter; allowed: <names>"}}, so a misspelt
     * or unsupported filter ({@code ?stauts=}, {@code ?from=}) is refused instead of being
     * ignored with a 200 that looks like an answer to it. An empty name ({@code ?a=1&} or a bare
     * {@code ?}) is no parameter.
     */
    public static Handler only(Handler handler, String... names) {
        List<String> allowed = List.of(names);
        String listed = allowed.isEmpty() ? "none" : String.join(", ", allowed);
        return (req, res) -> {
            List<FieldError> unknown = new ArrayList<>();
            for (String name : req.query().names()) {
                if (!name.isEmpty() && !allowed.contains(name)) {
                    unknown.add(new FieldError(name, "unknown query parameter; allowed: " + listed));
                }
            }
            if (!unknown.isEmpty()) {
                throw ApiProblem.badRequest((unknown.size() == 1 ? "unknown query parameter '" : "unknown query parameters '")
                    + String.join("', '", unknown.stream().map(FieldError::field).toList()) + "' (allowed: " + listed + ")",
                    unknown);
            }
            handler.handle(req, res);
        };
    }

    /** The first value of {@code name}, or {@code null}; control characters are refused (400). */
    public static String string(ServerRequest req, String name) {
        List<String> values = req.query().all(name, List::of);
        String v = values.isEmpty() ? null : values.get(0);
        if (v != null && hasControl(v)) {
            throw ApiProblem.badRequest(name, "must not contain control characters");
        }
        return v;
    }

    /** A path parameter naming something (a call, an alert ...); one that cannot exist is a 404. */
    static String id(ServerRequest req, String what) {
        String id = req.path().pathParameters().get("id");
        if (hasControl(id) || id.length() > 256) {
            throw ApiProblem.notFound("unknown " + what);
        }
        return id;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c) && !validPair(s, i)) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                i++;
            }
        }
        return false;
    }

    private static boolean validPair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
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
