-- Switchboard schema, version 1. Runs unchanged on PostgreSQL 15 and on H2 2.x in PostgreSQL mode
-- (no TIMESTAMPTZ alias, no ON CONFLICT, no RETURNING: upserts use MERGE).

-- Queues and agents as configured or first seen (agents of an external router are registered
-- when first routed to).
CREATE TABLE queues (
    id          VARCHAR(128) PRIMARY KEY,
    name        VARCHAR(256) NOT NULL,
    sla_ms      BIGINT NOT NULL,
    ring_ms     BIGINT NOT NULL,
    hold_ms     BIGINT NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE agents (
    id          VARCHAR(128) PRIMARY KEY,
    queue_id    VARCHAR(128),
    first_seen  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per call: the read model of GET /api/calls, updated in the same transaction as the
-- events that change it.
CREATE TABLE calls (
    id           VARCHAR(128) PRIMARY KEY,
    type         VARCHAR(8)   NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    phase        VARCHAR(16)  NOT NULL,
    queue_id     VARCHAR(128) NOT NULL,
    agent_id     VARCHAR(128),
    start_time   TIMESTAMP WITH TIME ZONE NOT NULL,
    answer_time  TIMESTAMP WITH TIME ZONE,
    end_time     TIMESTAMP WITH TIME ZONE,
    wait_ms      BIGINT,
    duration_ms  BIGINT,
    hold_ms      BIGINT NOT NULL,
    end_reason   VARCHAR(64),
    flags        INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    last_seq     BIGINT NOT NULL
);
CREATE INDEX calls_newest_first ON calls (start_time DESC, id DESC);
CREATE INDEX calls_by_status ON calls (status, start_time DESC);
CREATE INDEX calls_by_queue ON calls (queue_id, start_time DESC);
CREATE INDEX calls_by_agent ON calls (agent_id, start_time DESC);

-- The audit log: every accepted event and every system decision, in commit order. seq is global
-- and monotonic (assigned by the single committing thread); it is what Socket.io clients resume from.
CREATE TABLE call_events (
    seq        BIGINT PRIMARY KEY,
    id         VARCHAR(160) NOT NULL,
    call_id    VARCHAR(128) NOT NULL,
    type       VARCHAR(32)  NOT NULL,
    ts         TIMESTAMP WITH TIME ZONE NOT NULL,
    source     VARCHAR(8)   NOT NULL,
    metadata   TEXT NOT NULL,
    call_state TEXT NOT NULL,
    reply      TEXT,
    CONSTRAINT call_events_id_per_call UNIQUE (call_id, id)
);
CREATE INDEX call_events_by_call ON call_events (call_id, seq);

-- Alerts, at most one per call and kind (the id is call_id:kind).
CREATE TABLE alerts (
    id         VARCHAR(200) PRIMARY KEY,
    kind       VARCHAR(32)  NOT NULL,
    call_id    VARCHAR(128) NOT NULL,
    queue_id   VARCHAR(128),
    agent_id   VARCHAR(128),
    raised_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    message    TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    acked_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT alerts_once_per_call_and_kind UNIQUE (call_id, kind)
);
CREATE INDEX alerts_open ON alerts (acked_at, raised_at);
