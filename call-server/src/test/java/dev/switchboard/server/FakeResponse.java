package dev.switchboard.server;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/** A body wrapped as a response, to reuse the JSON helpers on what the receiver got. */
record FakeResponse(String body) implements HttpResponse<String> {
    @Override public int statusCode() { return 200; }
    @Override public HttpRequest request() { return null; }
    @Override public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
    @Override public HttpHeaders headers() { return HttpHeaders.of(Map.of(), (a, b) -> true); }
    @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
    @Override public URI uri() { return null; }
    @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
}
