-- Version 4: security. The audit trail (who did what, when, from where: logins, recording downloads and plays,
-- supervision, configuration changes, bans) is append-only: triggers refuse UPDATE and DELETE. Console sessions
-- (HTTP bearer tokens / cookies) are kept here so they survive a restart; only the SHA-256 of a token is stored.

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at INTEGER NOT NULL,
    actor       TEXT    NOT NULL, -- console user, extension, or "system"
    role        TEXT    NULL,     -- agent | supervisor | admin when known
    source      TEXT    NULL,     -- client IP address, "sip:<address>", a file path...
    action      TEXT    NOT NULL, -- auth.login, auth.login_failed, recording.download, supervision.started ...
    target      TEXT    NULL,     -- what it was done to: recording id, agent, file, user
    outcome     TEXT    NOT NULL, -- ok | failed | denied
    detail      TEXT    NULL      -- JSON
);
CREATE INDEX ix_audit_time ON audit (occurred_at);
CREATE INDEX ix_audit_actor_time ON audit (actor, occurred_at);
CREATE INDEX ix_audit_action_time ON audit (action, occurred_at);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY, -- lower-case hex SHA-256 of the token; the token itself is never stored
    user       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    source     TEXT    NULL,        -- client address at login
    revoked_at INTEGER NULL
);
CREATE INDEX ix_sessions_user ON sessions (user);
CREATE INDEX ix_sessions_expires ON sessions (expires_at);
