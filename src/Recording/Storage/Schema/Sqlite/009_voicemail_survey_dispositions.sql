-- Version 9: promises to callers. Voicemail messages (one WAV per message, in a mailbox named after a queue or an
-- extension), the post-call survey's score and answers on the call record, and disposition codes set by agents (the
-- latest on the call record, every change in the dispositions table).

CREATE TABLE voicemails (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mailbox     TEXT    NOT NULL,  -- queue name or extension number
    call_id     TEXT    NOT NULL,  -- calls.id
    caller      TEXT    NOT NULL,
    path        TEXT    NOT NULL UNIQUE,
    format      TEXT    NOT NULL,  -- Pcm16 | MuLaw | ALaw (mono)
    created_at  INTEGER NOT NULL,  -- recording started
    duration_ms INTEGER NULL,      -- NULL while recording
    size_bytes  INTEGER NULL,
    sha256      TEXT    NULL,
    status      TEXT    NOT NULL,  -- Recording | New | Heard | Handled | Discarded
    heard_at    INTEGER NULL,
    heard_by    TEXT    NULL,
    handled_at  INTEGER NULL,
    handled_by  TEXT    NULL,
    reply_ms    INTEGER NULL       -- handled_at - created_at: the reply time, for the statistics
);
CREATE INDEX ix_voicemails_mailbox ON voicemails (mailbox, status, created_at);
CREATE INDEX ix_voicemails_status ON voicemails (status);
CREATE INDEX ix_voicemails_call_id ON voicemails (call_id);

ALTER TABLE calls ADD COLUMN disposition      TEXT    NULL; -- codes, comma separated, in the order set
ALTER TABLE calls ADD COLUMN disposition_note TEXT    NULL;
ALTER TABLE calls ADD COLUMN csat             INTEGER NULL; -- post-call survey score, 1-5; NULL: no score
ALTER TABLE calls ADD COLUMN survey           TEXT    NULL; -- JSON object: every answer of the survey (csat and others)
CREATE INDEX ix_calls_csat ON calls (csat) WHERE csat IS NOT NULL;

CREATE TABLE dispositions (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id TEXT    NOT NULL,
    queue   TEXT    NULL,
    codes   TEXT    NOT NULL, -- comma separated
    note    TEXT    NULL,
    set_by  TEXT    NOT NULL, -- console user or extension
    source  TEXT    NOT NULL, -- api | dtmf
    set_at  INTEGER NOT NULL
);
CREATE INDEX ix_dispositions_call_id ON dispositions (call_id);
