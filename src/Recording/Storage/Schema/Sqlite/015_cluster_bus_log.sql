-- Version 15 (SQLite): nothing. The cluster bus's durable messages exist only in PostgreSQL (Postgres/015); the version
-- is kept so that both engines number their steps alike.
SELECT 1;
