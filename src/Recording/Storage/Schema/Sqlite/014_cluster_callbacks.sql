-- Version 14 (SQLite): nothing. Callbacks in a cluster queue owner's line exist only in PostgreSQL (Postgres/014); the
-- version is kept so that both engines number their steps alike.
SELECT 1;
