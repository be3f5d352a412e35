package dev.switchboard.server;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A local webhook receiver (127.0.0.1) that records every request and can be told to fail. */
public final class Receiver implements AutoCloseable {

    public record Request(Map<String, String> headers, String body, int answered) {
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    /** How many more requests to answer 500. */
    public final AtomicInteger failNext = new AtomicInteger();
    private final int port;
    private HttpServer server;

    public Receiver() {
        this(TestServer.freePort());
    }

    private Receiver(int port) {
        this.port = port;
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hooks/switchboard";
    }

    public void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hooks/switchboard", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            requests.add(new Request(headers, body, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public void stop() {
        server.stop(0);
    }

    public List<Request> delivered() {
        return requests.stream().filter(r -> r.answered() == 204).toList();
    }

    @Override
    public void close() {
        stop();
    }
}
