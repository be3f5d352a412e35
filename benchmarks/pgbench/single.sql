-- One audit-shaped row per transaction (what one event without group commit would cost).
\set c random(1, 9000000000000000)
INSERT INTO bench_events (call_id, id, type, ts, metadata)
VALUES ('call-' || :c || '-' || :client_id, 'evt-1', 'call_initiated', now(),
        '{"type": "voice", "queue_id": "medical_spanish", "source": "external"}');
