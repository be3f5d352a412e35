-- A table shaped like an audit entry, for pgbench next to the server (benchmarks/ingest-vs-postgres.sh).
DROP TABLE IF EXISTS bench_events;
CREATE TABLE bench_events (
    seq      BIGSERIAL PRIMARY KEY,
    call_id  VARCHAR(128) NOT NULL,
    id       VARCHAR(128) NOT NULL,
    type     VARCHAR(32) NOT NULL,
    ts       TIMESTAMP WITH TIME ZONE NOT NULL,
    metadata JSONB NOT NULL,
    CONSTRAINT bench_events_call_id UNIQUE (call_id, id)
);
