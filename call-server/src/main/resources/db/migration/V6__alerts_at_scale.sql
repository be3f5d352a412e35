-- Alerts at scale (issue 15): a note on acknowledgement, alerts that resolve themselves, and the
-- type of a call's last event. Runs unchanged on PostgreSQL 15 and on H2 2.x in PostgreSQL mode.

-- The supervisor's note on acknowledging (at most 500 characters; also in the alert_acked entry).
ALTER TABLE alerts ADD COLUMN note VARCHAR(500);
-- When the alert resolved itself (its call moved on), the seq of its alert_resolved entry and what
-- the call did (answered, resumed, transferred, ended). An alert is open while neither acknowledged
-- nor resolved.
ALTER TABLE alerts ADD COLUMN resolved_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE alerts ADD COLUMN resolved_seq BIGINT;
ALTER TABLE alerts ADD COLUMN resolution VARCHAR(16);
-- GET /api/alerts?open=true and the bulk acknowledgement read the open alerts newest first.
CREATE INDEX alerts_open_by_seq ON alerts (acked_at, resolved_at, seq);

-- The type of the transition at last_event_time, so the Call JSON read back (GET /api/calls, a
-- snapshot) says what last happened, as a live push does.
ALTER TABLE calls ADD COLUMN last_event_type VARCHAR(32);
UPDATE calls SET last_event_type = (
    SELECT e.type FROM call_events e
    WHERE e.call_id = calls.id
      AND e.type IN ('call_initiated', 'call_routed', 'call_retransfer', 'call_answered', 'call_hold',
                     'call_resumed', 'call_transferred', 'call_ended')
    ORDER BY e.seq DESC LIMIT 1);
