-- Version 15 (PostgreSQL only; Sqlite/015 is empty, a single server has no cluster): the cluster bus's durable
-- messages (src/Cluster/README.md, "Bus"): agent commands a node must get even if it was not listening when they were
-- sent. Appended in commit order (a transaction lock around the sequence), read by each node after the last seq it read,
-- deleted after an hour by the nodes that append.
CREATE TABLE cluster_bus_log (
    seq        BIGSERIAL   PRIMARY KEY,
    channel    TEXT        NOT NULL,          -- the bus channel (one per cluster: ClusterBus.ChannelFor)
    id         TEXT        NOT NULL,          -- BusMessage.Id: appending the same message twice adds nothing
    sender     TEXT        NOT NULL,          -- node
    recipient  TEXT,                          -- node, or NULL for all
    subject    TEXT,                          -- what the message is about (agent), to order competing commands
    payload    TEXT        NOT NULL,          -- the encoded BusMessage
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (channel, id)
);
CREATE INDEX ix_cluster_bus_log_channel_seq ON cluster_bus_log (channel, seq);
