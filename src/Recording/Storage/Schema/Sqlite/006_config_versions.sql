-- Version 6: every saved version of an admin-edited configuration file (config/ivr.yaml, config/queues.yaml), with
-- who saved it and when, so the console can show, diff and roll back any two versions. Rows are never changed.

CREATE TABLE config_versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    file        TEXT    NOT NULL,   -- ivr | queues
    version     INTEGER NOT NULL,   -- 1, 2, 3... per file
    saved_at    INTEGER NOT NULL,   -- Unix milliseconds (UTC)
    saved_by    TEXT    NOT NULL,   -- console user, or "disk" for a version found on disk (first or hand-edited)
    comment     TEXT    NULL,       -- "rollback to version 3", the admin's note...
    sha256      TEXT    NOT NULL,   -- lower-case hex of the content's UTF-8 bytes
    content     TEXT    NOT NULL,
    UNIQUE (file, version)
);
CREATE TRIGGER config_versions_append_only_update BEFORE UPDATE ON config_versions
BEGIN
    SELECT RAISE(ABORT, 'configuration versions are append-only');
END;
