-- Cluster mode (SWITCHBOARD_CLUSTER=postgres): who leads, and the nodes that take part.
-- A single node (cluster off) never writes these tables.

-- The one row of leadership: epoch is bumped by each node that takes the lead; every group
-- commit of a leader reads it FOR SHARE in its own transaction and rolls back when it is no
-- longer its own (fencing). config is the leader's queue and threshold configuration, which a
-- joining node must match.
CREATE TABLE cluster_leader (
    id       INT PRIMARY KEY,
    epoch    BIGINT NOT NULL,
    node_id  VARCHAR(64),
    url      VARCHAR(300),
    since    TIMESTAMP WITH TIME ZONE,
    config   TEXT,
    CONSTRAINT cluster_leader_one_row CHECK (id = 1)
);
INSERT INTO cluster_leader (id, epoch) VALUES (1, 0);

-- Each node's heartbeat: what GET /api/cluster lists.
CREATE TABLE cluster_nodes (
    node_id     VARCHAR(64) PRIMARY KEY,
    url         VARCHAR(300) NOT NULL,
    role        VARCHAR(16) NOT NULL,
    epoch       BIGINT NOT NULL,
    applied_seq BIGINT NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen   TIMESTAMP WITH TIME ZONE NOT NULL
);
