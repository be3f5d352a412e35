package dev.switchboard.server.http;

import dev.switchboard.server.wire.FieldError;

import java.util.List;

/**
 * An expected refusal of a request, turned into {@code application/problem+json} (RFC 9457) by
 * {@link Problems}. Handlers throw it; they never build error bodies themselves.
 */
public final class ApiProblem extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Integer retryAfterSeconds;

    public ApiProblem(int status, String title, String detail, List<FieldError> errors) {
        this(status, title, detail, errors, null);
    }

    public ApiProblem(int status, String title, String detail, List<FieldError> errors, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiProblem badRequest(String detail, List<FieldError> errors) {
        return new ApiProblem(400, "Bad Request", detail, errors);
    }

    public static ApiProblem badRequest(String field, String message) {
        return badRequest(field.isEmpty() ? message : field + " " + message, List.of(new FieldError(field, message)));
    }

    /** Storage failed: nothing was done; try again in a second. */
    public static ApiProblem unavailable(String reason) {
        return new ApiProblem(503, "Service Unavailable", "nothing was changed (" + reason + "); try again", List.of(), 1);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
