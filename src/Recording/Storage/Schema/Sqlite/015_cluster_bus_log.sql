-- Version 16 (SQLite): nothing. The cluster bus's durable messages exist only in PostgreSQL (Postgres/016); the version
-- is kept so that both engines number their steps alike.
SELECT 1;
