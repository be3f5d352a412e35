package dev.switchboard.server.outbound;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The built-in sink: an HTTP POST of the JSON payload, signed with
 * {@code X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the body with the subscription's secret>}.
 * Any 2xx is a delivery; anything else, or no answer in 10 s, is a failure.
 */
public final class WebhookSink implements OutboundSink {

    public static final String SIGNATURE_HEADER = "X-Switchboard-Signature";
    public static final String EVENT_ID_HEADER = "X-Switchboard-Event-Id";
    public static final String EVENT_TYPE_HEADER = "X-Switchboard-Event";
    public static final String ATTEMPT_HEADER = "X-Switchboard-Delivery-Attempt";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public boolean supports(URI target) {
        return "http".equals(target.getScheme()) || "https".equals(target.getScheme());
    }

    @Override
    public void deliver(Delivery d) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.subscription().url()))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header(EVENT_ID_HEADER, d.eventId())
            .header(EVENT_TYPE_HEADER, d.type())
            .header(ATTEMPT_HEADER, String.valueOf(d.attempt()))
            .header(SIGNATURE_HEADER, "sha256=" + sign(d.subscription().secret(), d.payload()))
            .POST(HttpRequest.BodyPublishers.ofString(d.payload()))
            .build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("receiver answered " + response.statusCode());
        }
    }

    /** Hex HMAC-SHA256 of {@code body} with {@code secret}: what receivers recompute to verify. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
