-- Version 1: the event log, call records (CDR) and recordings.
-- Times are INTEGER Unix milliseconds (UTC); durations INTEGER milliseconds; enums TEXT (their C# names).

CREATE TABLE events (
    sequence    INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: SSE Last-Event-ID
    occurred_at INTEGER NOT NULL,
    type        TEXT    NOT NULL,                  -- call.started, queue.entered, recording.completed, alert.created ...
    call_id     TEXT    NULL,
    payload     TEXT    NOT NULL DEFAULT '{}'      -- JSON
);
CREATE INDEX ix_events_call_id ON events (call_id);

CREATE TABLE calls (
    id           TEXT    PRIMARY KEY,  -- interaction id: survives queue hops and transfers
    caller       TEXT    NOT NULL,
    dialed       TEXT    NOT NULL,     -- DID
    started_at   INTEGER NOT NULL,
    answered_at  INTEGER NULL,
    ended_at     INTEGER NULL,
    ivr_path     TEXT    NULL,         -- node ids visited, space separated
    variables    TEXT    NULL,         -- JSON object collected by the IVR
    queue        TEXT    NULL,
    priority     INTEGER NULL,
    wait_ms      INTEGER NULL,
    agent        TEXT    NULL,
    talk_ms      INTEGER NULL,
    outcome      TEXT    NULL,
    hangup_cause TEXT    NULL,
    hangup_side  TEXT    NULL
);
CREATE INDEX ix_calls_started_at ON calls (started_at);
CREATE INDEX ix_calls_caller ON calls (caller);
CREATE INDEX ix_calls_agent ON calls (agent);

CREATE TABLE recordings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id     TEXT    NOT NULL,
    path        TEXT    NOT NULL UNIQUE,
    format      TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NULL,
    size_bytes  INTEGER NULL,
    sha256      TEXT    NULL,
    status      TEXT    NOT NULL       -- Recording | Completed | Interrupted | Deleted
);
CREATE INDEX ix_recordings_call_id ON recordings (call_id);
CREATE INDEX ix_recordings_status ON recordings (status);
