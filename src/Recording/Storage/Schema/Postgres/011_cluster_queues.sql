-- Version 11 (PostgreSQL only; Sqlite/011 is empty, a single server has no cluster): what the nodes of a cluster share
-- about their queues (src/Cluster/README.md). IF NOT EXISTS: nodes of the previous build created the two lease tables
-- themselves at start-up.

-- One owner per queue: a lease with a fencing token (src/Cluster/Leases/QueueLeaseStore.cs). Times are the database's.
CREATE TABLE IF NOT EXISTS queue_leases (
    queue      TEXT        PRIMARY KEY,
    owner      TEXT        NOT NULL,     -- node id (cluster.nodeId)
    token      BIGINT      NOT NULL,     -- grows by one on every change of ownership, never on renew
    expires_at TIMESTAMPTZ NOT NULL
);

-- The owner's dispatch decisions, each written only while its lease (owner + token) is current (fenced write).
CREATE TABLE IF NOT EXISTS queue_dispatches (
    id            BIGSERIAL   PRIMARY KEY,
    queue         TEXT        NOT NULL,
    token         BIGINT      NOT NULL,
    owner         TEXT        NOT NULL,
    call_id       TEXT        NOT NULL,
    agent         TEXT        NOT NULL,
    dispatched_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_dispatches_queue ON queue_dispatches (queue, id);

-- Node liveness: each node beats every second; a node silent past the dead-after time is dead, and its calls are
-- recovered by a survivor (src/Cluster/Calls/ClusterCallStore.cs).
CREATE TABLE cluster_nodes (
    node         TEXT        PRIMARY KEY,
    started_at   TIMESTAMPTZ NOT NULL,
    heartbeat_at TIMESTAMPTZ NOT NULL
);

-- The calls whose media lives on a node, and for a caller waiting in a queue its place in line (queue, priority,
-- first entry time, entry sequence). Rows leave when the call ends; a dead node's rows are taken (deleted) exactly
-- once by one survivor, which closes their call records and calls the waiting ones back at their place.
CREATE SEQUENCE cluster_calls_entry;
CREATE TABLE cluster_calls (
    call_id    TEXT    PRIMARY KEY,       -- calls.id
    node       TEXT    NOT NULL,          -- where the media is
    caller     TEXT    NULL,
    dialed     TEXT    NULL,
    started_at BIGINT  NOT NULL,          -- Unix ms
    queue      TEXT    NULL,              -- set while waiting (or rung) in a queue
    priority   INTEGER NULL,
    entered_at BIGINT  NULL,              -- Unix ms: first entry in this stay (the place in line)
    entry      BIGINT  NULL,              -- cluster_calls_entry at entry: ties in time keep arrival order
    agent      TEXT    NULL,              -- the queue owner's fenced assignment: ring this agent (QueueAssignmentStore)
    token      BIGINT  NULL               -- the owner's fencing token when it assigned
);
CREATE INDEX ix_cluster_calls_node ON cluster_calls (node);
CREATE UNIQUE INDEX ix_cluster_calls_agent ON cluster_calls (agent) WHERE agent IS NOT NULL; -- one caller per agent
CREATE INDEX ix_cluster_calls_queue ON cluster_calls (queue, priority DESC, entered_at, entry) WHERE queue IS NOT NULL;
