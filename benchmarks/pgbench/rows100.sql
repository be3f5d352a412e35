-- 100 audit-shaped rows in one INSERT per transaction.
\set c random(1, 9000000000000000)
INSERT INTO bench_events (call_id, id, type, ts, metadata)
SELECT 'call-' || :c || '-' || :client_id || '-' || g, 'evt-1', 'call_initiated', now(),
       '{"type": "voice", "queue_id": "medical_spanish", "source": "external"}'::jsonb
FROM generate_series(1, 100) AS g;
