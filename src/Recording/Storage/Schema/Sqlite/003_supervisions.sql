-- Version 3: supervision of calls (listen, whisper, barge, take over): one row per mode segment, so the record shows
-- who supervised, in which modes, and when. A mode switch ends the open row and starts the next one.

CREATE TABLE supervisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id            TEXT    NOT NULL, -- the supervised call (calls.id)
    supervisor_call_id TEXT    NOT NULL, -- the supervisor's own call
    supervisor         TEXT    NOT NULL, -- extension
    agent              TEXT    NOT NULL, -- extension
    mode               TEXT    NOT NULL, -- Listen | Whisper | Barge | TakeOver
    started_at         INTEGER NOT NULL,
    ended_at           INTEGER NULL
);
CREATE INDEX ix_supervisions_call_id ON supervisions (call_id);
CREATE INDEX ix_supervisions_open ON supervisions (supervisor_call_id) WHERE ended_at IS NULL;
