package dev.switchboard.server.store;

/**
 * One row of the audit log ({@code call_events}): narrow on purpose. The call state after an
 * entry and the reply a client got are not kept; {@link LogReader} derives them from the call's
 * history.
 *
 * @param callId   the call, or {@code null} for an entry about no call (an agent made available)
 * @param source   {@code external} (posted by a client), {@code system} (the service's own
 *                 decision) or {@code supervisor} (a supervisor's action)
 * @param metadata JSON object text
 * @param head     the first entry of its decision: the entries of one decision are consecutive
 *                 seqs of one call and share the call state after the decision
 */
public record StoredEvent(long seq, String id, String callId, String type, long tsMs, String source, String metadata,
                          boolean head) {
}
