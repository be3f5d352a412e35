package dev.switchboard.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.wire.Wire;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a request body as JSON, strictly: 415 if it is not JSON (or the Content-Type does not
 * parse), 413 over the size limit (declared or streamed), 400 if empty, malformed, broken in
 * transfer, with duplicate keys or nested too deep.
 */
final class JsonBody {

    private JsonBody() {
    }

    /**
     * @param rejected counts a refusal by reason (for metrics)
     */
    static JsonNode read(ServerRequest req, long maxBytes, Consumer<String> rejected) {
        HttpMediaType type;
        try {
            type = req.headers().contentType().orElse(null);
        } catch (RuntimeException e) {
            rejected.accept("unsupported_media_type");
            throw new ApiProblem(415, "Unsupported Media Type", "the Content-Type does not parse; send "
                + "Content-Type: application/json", List.of());
        }
        if (type == null || !isJson(type)) {
            rejected.accept("unsupported_media_type");
            throw new ApiProblem(415, "Unsupported Media Type", "send JSON with Content-Type: application/json"
                + (type == null ? "" : " (got " + type.mediaType().text() + ")"), List.of());
        }
        if (req.headers().contentLength().orElse(0) > maxBytes) {
            rejected.accept("too_large");
            throw tooLarge(maxBytes);
        }
        byte[] bytes = readLimited(req, maxBytes, rejected);
        if (bytes.length == 0) {
            rejected.accept("invalid");
            throw ApiProblem.badRequest("", "the body is empty");
        }
        try {
            return Wire.JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            rejected.accept("malformed_json");
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiProblem.badRequest("", "malformed JSON" + where + ": " + plain(e.getOriginalMessage()));
        } catch (JacksonException e) {
            rejected.accept("malformed_json");
            throw ApiProblem.badRequest("", "malformed JSON: " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            rejected.accept("invalid");
            throw ApiProblem.badRequest("", "the body could not be read");
        }
    }

    private static byte[] readLimited(ServerRequest req, long maxBytes, Consumer<String> rejected) {
        try (InputStream in = req.content().inputStream()) {
            long declared = req.headers().contentLength().orElse(-1);
            if (declared >= 0) {
                // the usual request: read into an array of its length (no buffer to grow, no copy)
                return in.readNBytes((int) declared);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    rejected.accept("too_large");
                    throw tooLarge(maxBytes);
                }
            }
            return out.toByteArray();
        } catch (ApiProblem p) {
            throw p;
        } catch (IOException | RuntimeException e) {
            // a broken transfer (bad chunk sizes, a connection cut mid-body) is the client's fault
            rejected.accept("invalid");
            throw ApiProblem.badRequest("", "the body could not be read: the transfer is broken");
        }
    }

    /** Jackson's message without its source-location noise. */
    private static String plain(String message) {
        String m = message == null ? "unreadable" : message;
        int cut = m.indexOf(" (start marker at");
        if (cut < 0) {
            cut = m.indexOf(" at [Source");
        }
        m = cut < 0 ? m : m.substring(0, cut);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static ApiProblem tooLarge(long maxBytes) {
        return new ApiProblem(413, "Content Too Large", "the body is larger than " + maxBytes + " bytes", List.of());
    }

    private static boolean isJson(HttpMediaType type) {
        String subtype = type.mediaType().subtype();
        return "application".equals(type.mediaType().type()) && ("json".equals(subtype) || subtype.endsWith("+json"));
    }
}
