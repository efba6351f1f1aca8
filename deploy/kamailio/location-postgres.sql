-- Kamailio's registrations in the cluster database, so the nodes see them (loginOnRegister behind Kamailio):
-- usrloc in write-through mode (kamailio.cfg with -A 'USRLOC_DB_URL="postgres://user:password@host/db"') writes each
-- binding here as it saves it and deletes it on unregister or expiry; every node reads it (cluster.locationTable:
-- location). Apply once to the cluster database before starting Kamailio (psql -f), which checks the table's version.
-- The columns are those of Kamailio 5.6's usrloc table, schema version 9; `expires` is Kamailio's local time, so run
-- Kamailio and PostgreSQL in the same time zone (UTC).
CREATE TABLE IF NOT EXISTS version (
    table_name    VARCHAR(32) NOT NULL,
    table_version INTEGER     NOT NULL DEFAULT 0,
    CONSTRAINT version_table_name_idx UNIQUE (table_name)
);
INSERT INTO version (table_name, table_version) VALUES ('location', 9) ON CONFLICT (table_name) DO NOTHING;

CREATE TABLE IF NOT EXISTS location (
    id             SERIAL        PRIMARY KEY,
    ruid           VARCHAR(64)   NOT NULL DEFAULT '' UNIQUE,
    username       VARCHAR(64)   NOT NULL DEFAULT '',     -- the extension (AOR user part): what the nodes read
    domain         VARCHAR(64)   NULL,
    contact        VARCHAR(512)  NOT NULL DEFAULT '',
    received       VARCHAR(128)  NULL,
    path           VARCHAR(512)  NULL,
    expires        TIMESTAMP     NOT NULL DEFAULT '2030-05-28 21:32:15', -- local time: a binding counts while expires > localtimestamp
    q              REAL          NOT NULL DEFAULT 1.0,
    callid         VARCHAR(255)  NOT NULL DEFAULT 'Default-Call-ID',
    cseq           INTEGER       NOT NULL DEFAULT 1,
    last_modified  TIMESTAMP     NOT NULL DEFAULT '2000-01-01 00:00:01',
    flags          INTEGER       NOT NULL DEFAULT 0,
    cflags         INTEGER       NOT NULL DEFAULT 0,
    user_agent     VARCHAR(255)  NOT NULL DEFAULT '',
    socket         VARCHAR(64)   NULL,
    methods        INTEGER       NULL,
    instance       VARCHAR(255)  NULL,
    reg_id         INTEGER       NOT NULL DEFAULT 0,
    server_id      INTEGER       NOT NULL DEFAULT 0,
    connection_id  INTEGER       NOT NULL DEFAULT 0,
    keepalive      INTEGER       NOT NULL DEFAULT 0,
    partition      INTEGER       NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS location_account_contact_idx ON location (username, domain, contact);
CREATE INDEX IF NOT EXISTS location_expires_idx ON location (expires);
CREATE INDEX IF NOT EXISTS location_connection_idx ON location (server_id, connection_id);
