package dev.switchboard.console.net;

/**
 * The server refused a request (a problem+json reply) or could not be reached ({@code status} 0).
 * The message is the server's {@code detail}, written for people.
 */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, or 0 when there was no reply. */
    public int status() {
        return status;
    }

    /** The {@link ApiException} inside a failed future's exception, or one describing it. */
    public static ApiException of(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof ApiException e) {
                return e;
            }
            c = c.getCause();
        }
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new ApiException("cannot reach the server: " + what, t);
    }
}
