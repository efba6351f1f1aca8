-- Version 14 (PostgreSQL only; Sqlite/014 is empty, a single server has no cluster): a pending callback of a cluster
-- node's queue is an entry of the queue owner's line like a waiting caller (src/Cluster/README.md, "Dispatch"): its row
-- in cluster_calls has call_id = the callback's id, entered_at = its original arrival, kind 'callback', and is offered
-- only once due.
ALTER TABLE cluster_calls ADD COLUMN kind TEXT NULL;         -- NULL: a caller on the line; 'callback'
ALTER TABLE cluster_calls ADD COLUMN not_before BIGINT NULL; -- callbacks: Unix ms (the node's clock), not assigned before
