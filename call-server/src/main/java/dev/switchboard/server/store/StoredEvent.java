package dev.switchboard.server.store;

/**
 * One row of the audit log ({@code call_events}).
 *
 * @param metadata  JSON object text
 * @param callState JSON of the call right after the decision this row belongs to
 * @param reply     for an event a client posted: the JSON reply it got (replayed on a resend)
 */
public record StoredEvent(long seq, String id, String callId, String type, long tsMs, String source, String metadata,
                          String callState, String reply) {
}
