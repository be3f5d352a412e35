package dev.switchboard.reliability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One HTTP request to a server on 127.0.0.1 and what came back. Sent with the JDK's
 * {@link HttpClient} when it can express the request; otherwise (control characters or non-ASCII
 * in headers, duplicate {@code Content-Length}, a broken request line...) as raw bytes over a
 * socket with {@code Connection: close}.
 */
final class Exchange {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** How the body goes out. */
    enum Body { NONE, LENGTH, CHUNKED }

    /**
     * A request.
     *
     * @param target  the request target as sent (already percent-encoded, may hold a query)
     * @param raw     whole request bytes to send verbatim over a socket (then the other fields are ignored)
     */
    record Request(String method, String target, List<String[]> headers, byte[] body, Body mode, byte[] raw) {

        static Request of(String method, String target, List<String[]> headers, byte[] body) {
            return new Request(method, target, headers, body, body == null ? Body.NONE : Body.LENGTH, null);
        }

        static Request raw(byte[] bytes) {
            return new Request(null, null, List.of(), null, Body.NONE, bytes);
        }

        Request chunked() {
            return new Request(method, target, headers, body, Body.CHUNKED, raw);
        }

        String describe() {
            if (raw != null) {
                String s = new String(raw, 0, Math.min(raw.length, 60), StandardCharsets.ISO_8859_1);
                return "raw " + s.replaceAll("[\\r\\n]", "⏎");
            }
            String type = headers.stream().filter(h -> h[0].equalsIgnoreCase("Content-Type")).map(h -> " [" + h[1] + "]")
                .findFirst().orElse("");
            return method + " " + (target.length() > 80 ? target.substring(0, 80) + "…" : target) + type
                + (body == null ? "" : " (" + body.length + " bytes" + (mode == Body.CHUNKED ? ", chunked" : "") + ")");
        }
    }

    /** A reply; {@code status} is -1 when the server closed the connection without one. */
    record Response(int status, String contentType, String body, long millis) {
        boolean closedWithoutReply() {
            return status < 0;
        }
    }

    private Exchange() {
    }

    static Response send(int port, Request r) {
        long t0 = System.nanoTime();
        Response res;
        try {
            res = r.raw() != null || !expressible(r) ? sendRaw(port, r) : sendWithClient(port, r);
        } catch (IOException e) {
            res = new Response(-1, null, String.valueOf(e), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Response(res.status(), res.contentType(), res.body(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Whether the JDK client accepts the method and headers as they are. */
    private static boolean expressible(Request r) {
        try {
            builder(0, r);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static HttpRequest.Builder builder(int port, Request r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r.target())).timeout(TIMEOUT);
        for (String[] h : r.headers()) {
            b.header(h[0], h[1]);
        }
        HttpRequest.BodyPublisher p = switch (r.mode()) {
            case NONE -> HttpRequest.BodyPublishers.noBody();
            case LENGTH -> HttpRequest.BodyPublishers.ofByteArray(r.body());
            case CHUNKED -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(r.body()));
        };
        return b.method(r.method(), p);
    }

    private static Response sendWithClient(int port, Request r) throws IOException, InterruptedException {
        HttpResponse<String> res = HTTP.send(builder(port, r).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(res.statusCode(), res.headers().firstValue("Content-Type").orElse(null), res.body(), 0);
    }

    private static Response sendRaw(int port, Request r) throws IOException {
        byte[] bytes = r.raw() != null ? r.raw() : rawBytes(port, r);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(3_000);   // a server still waiting for a promised body answers nothing
            // write on a virtual thread: the server may answer (413) and close before reading it all
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(bytes);
                    out.flush();
                } catch (IOException ignored) {
                    // the server stopped reading: its reply (if any) is what counts
                }
            });
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                InputStream in = s.getInputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    if (complete(got.toByteArray())) {
                        break;
                    }
                }
            } catch (IOException e) {
                if (got.size() == 0) {
                    return new Response(-1, null, String.valueOf(e), 0);
                }
            } finally {
                try {
                    writer.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return parse(got.toByteArray());
        }
    }

    private static byte[] rawBytes(int port, Request r) {
        StringBuilder head = new StringBuilder();
        head.append(r.method()).append(' ').append(r.target()).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        head.append("Connection: close\r\n");
        for (String[] h : r.headers()) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.mode() == Body.LENGTH) {
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        } else if (r.mode() == Body.CHUNKED) {
            head.append("Transfer-Encoding: chunked\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (r.mode() == Body.LENGTH) {
            out.writeBytes(r.body());
        } else if (r.mode() == Body.CHUNKED) {
            for (int i = 0; i < r.body().length; i += 65_536) {
                int n = Math.min(65_536, r.body().length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(r.body(), i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Whether a whole reply (head and a Content-Length body, or a chunked body) has arrived. */
    private static boolean complete(byte[] b) {
        int end = headEnd(b);
        if (end < 0) {
            return false;
        }
        Head h = head(b, end);
        if (h.contentLength >= 0) {
            return b.length - end >= h.contentLength;
        }
        if (h.chunked) {
            String tail = new String(b, Math.max(end, b.length - 7), b.length - Math.max(end, b.length - 7), StandardCharsets.ISO_8859_1);
            return tail.endsWith("0\r\n\r\n");
        }
        return false;
    }

    private record Head(int status, String contentType, long contentLength, boolean chunked) {
    }

    private static int headEnd(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    private static Head head(byte[] b, int end) {
        String[] lines = new String(b, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = -1;
        String[] statusLine = lines[0].split(" ");
        if (statusLine.length >= 2 && statusLine[0].startsWith("HTTP/")) {
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException ignored) {
                status = -1;
            }
        }
        String type = null;
        long length = -1;
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> type = value;
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        return new Head(status, type, length, chunked);
    }

    private static Response parse(byte[] b) {
        int end = headEnd(b);
        if (end < 0) {
            return new Response(-1, null, new String(b, StandardCharsets.ISO_8859_1), 0);
        }
        Head h = head(b, end);
        byte[] body = java.util.Arrays.copyOfRange(b, end, b.length);
        if (h.chunked) {
            body = dechunk(body);
        } else if (h.contentLength >= 0 && body.length > h.contentLength) {
            body = java.util.Arrays.copyOf(body, (int) h.contentLength);
        }
        return new Response(h.status, h.contentType, new String(body, StandardCharsets.UTF_8), 0);
    }

    private static byte[] dechunk(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < b.length) {
            int lineEnd = i;
            while (lineEnd + 1 < b.length && !(b[lineEnd] == '\r' && b[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String sizeText = new String(b, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            out.write(b, start, Math.min(size, b.length - start));
            i = start + size + 2;
        }
        return out.toByteArray();
    }

    static List<String[]> headers(String... nameValues) {
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            out.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return out;
    }
}
