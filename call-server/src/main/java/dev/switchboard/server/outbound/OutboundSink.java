package dev.switchboard.server.outbound;

import java.net.URI;

/**
 * A plug-in port for outbound effects (surveys, ended calls, alerts, re-routes): a webhook, a
 * message broker, a CRM SDK. Implementations are found with {@link java.util.ServiceLoader}
 * (list the class in {@code META-INF/services/dev.switchboard.server.outbound.OutboundSink});
 * a subscription's URL scheme picks the sink. The built-in {@link WebhookSink} takes
 * {@code http} and {@code https}.
 *
 * <p>Delivery is at least once: a sink may see the same {@link Delivery#eventId()} again after a
 * retry, a replay or a restart.
 */
public interface OutboundSink {

    /** Whether this sink delivers to {@code target} (e.g. by scheme). */
    boolean supports(URI target);

    /**
     * Delivers one message; returning normally means delivered.
     *
     * @throws Exception on any failure: the delivery is retried (3 attempts in all), then dead-lettered
     */
    void deliver(Delivery delivery) throws Exception;
}
