-- Version 11 (SQLite): nothing. The cluster's shared queue state (leases, dispatches, node liveness, calls by node)
-- exists only in PostgreSQL (Postgres/011); the version is kept so that both engines number their steps alike.
SELECT 1;
