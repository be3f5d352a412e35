package dev.switchboard.server.outbound;

/**
 * One outbound message on its way to one subscription.
 *
 * @param eventId  stable id of the effect ({@code sb-<seq>}): the same on every attempt and replay,
 *                 so receivers can dedupe
 * @param payload  the JSON body
 * @param attempt  1 for the first try
 */
public record Delivery(long id, String eventId, String type, String callId, String payload, int attempt,
                       Subscription subscription) {
}
