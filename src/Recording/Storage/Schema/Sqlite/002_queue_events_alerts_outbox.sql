-- Version 2: queue events (base for statistics), alerts and the webhook outbox.

CREATE TABLE queue_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id     TEXT    NOT NULL,
    queue       TEXT    NOT NULL,
    kind        TEXT    NOT NULL, -- Entered | AgentRung | AgentNoAnswer | Answered | Abandoned | Overflowed | Transferred
    agent       TEXT    NULL,
    occurred_at INTEGER NOT NULL,
    detail      TEXT    NULL
);
CREATE INDEX ix_queue_events_call_id ON queue_events (call_id);
CREATE INDEX ix_queue_events_queue_time ON queue_events (queue, occurred_at);

CREATE TABLE alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL, -- missed_call, recording_failed ...
    call_id    TEXT    NULL,
    caller     TEXT    NULL,
    created_at INTEGER NOT NULL,
    payload    TEXT    NOT NULL  -- JSON body sent to webhooks
);
CREATE INDEX ix_alerts_created_at ON alerts (created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook         TEXT    NOT NULL, -- configured webhook name
    payload         TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    delivered_at    INTEGER NULL,
    last_error      TEXT    NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (webhook, idempotency_key)
);
CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE delivered_at IS NULL;
