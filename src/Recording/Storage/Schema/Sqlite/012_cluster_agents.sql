-- Version 12 (SQLite): nothing. Agent state shared by the nodes of a cluster exists only in PostgreSQL
-- (Postgres/012); the version is kept so that both engines number their steps alike.
SELECT 1;
