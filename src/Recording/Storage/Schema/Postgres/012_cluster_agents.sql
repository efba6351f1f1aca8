-- Version 12 (PostgreSQL only; Sqlite/012 is empty, a single server has no cluster): agent state as each node of a
-- cluster sees it, so that a queue's owner offers only agents free on every node (src/Cluster/README.md, "Dispatch").

-- One row per node and agent, written by that node at every change of its scheduler's agent state (the node's clock).
-- Rows of a node that stopped beating are ignored by owners; a node deletes its own rows when it starts.
CREATE TABLE cluster_agents (
    node  TEXT   NOT NULL,           -- cluster_nodes.node
    agent TEXT   NOT NULL,           -- extension
    state TEXT   NOT NULL,           -- LoggedOut, Available, Ringing, OnCall, WrapUp, Paused
    since BIGINT NOT NULL,           -- Unix ms: the change (longest-idle: Available since)
    PRIMARY KEY (node, agent)
);
CREATE INDEX ix_cluster_agents_agent ON cluster_agents (agent);
