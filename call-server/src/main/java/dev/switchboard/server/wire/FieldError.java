package dev.switchboard.server.wire;

/** One problem with one field of a request: the {@code errors} items of a problem+json reply. */
public record FieldError(String field, String message) {
}
