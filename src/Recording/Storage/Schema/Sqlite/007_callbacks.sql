-- Version 7: callbacks (promises to callers). A callback keeps a place in a queue's line: arrived_at is the original
-- enqueue time (with the priority, its place), so a restart puts it back where it stood. Each call to the customer is an
-- attempt, committed before the customer's INVITE leaves: a restart re-queues a callback that was never dialed and never
-- redials an attempt it cut (ended_at NULL). Call records of callback attempts name their callback and the call that
-- asked for it; queue visits get the time their callback reached the customer (statistics: callbacksCompleted).

CREATE TABLE callbacks (
    id               TEXT    PRIMARY KEY,
    queue            TEXT    NOT NULL,
    number           TEXT    NOT NULL,             -- dialed through the trunk
    name             TEXT    NULL,
    note             TEXT    NULL,
    priority         INTEGER NOT NULL DEFAULT 0,
    arrived_at       INTEGER NOT NULL,             -- place in line: the original enqueue time
    requested_at     INTEGER NOT NULL,
    not_before       INTEGER NULL,
    deadline         INTEGER NULL,
    source           TEXT    NOT NULL,             -- queue | ivr | web | console
    requested_by     TEXT    NULL,                 -- web site (API key name), console user, or caller
    source_address   TEXT    NULL,                 -- HTTP client address of a web or console request
    original_call_id TEXT    NULL,                 -- the call that asked (calls.id)
    caller_id        TEXT    NULL,                 -- presented to the customer
    tags             TEXT    NOT NULL DEFAULT '[]',
    data             TEXT    NOT NULL DEFAULT '{}',
    status           TEXT    NOT NULL,             -- Pending | Completed | Failed | Expired | Cancelled
    attempts         INTEGER NOT NULL DEFAULT 0,   -- calls to the customer so far
    next_attempt_at  INTEGER NULL,
    closed_at        INTEGER NULL,
    detail           TEXT    NULL,                 -- why it closed
    call_id          TEXT    NULL,                 -- the attempt that completed (or last failed)
    agent            TEXT    NULL,
    visit_call_id    TEXT    NULL                  -- queue_visits.call_id of the visit that counts the request
);
CREATE INDEX ix_callbacks_status ON callbacks (status, arrived_at);
CREATE INDEX ix_callbacks_number ON callbacks (number, requested_at);
CREATE INDEX ix_callbacks_requested ON callbacks (requested_at);

CREATE TABLE callback_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    callback_id TEXT    NOT NULL,
    attempt     INTEGER NOT NULL,                  -- 1, 2, 3... (a NotDialed attempt's number is used again)
    call_id     TEXT    NOT NULL,                  -- the attempt's call record (calls.id)
    agent       TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,                  -- committed before the customer's INVITE
    ended_at    INTEGER NULL,
    result      TEXT    NULL                       -- Answered | Busy | NoAnswer | Failed | AgentLeft | NotDialed | Interrupted
);
CREATE INDEX ix_callback_attempts_callback ON callback_attempts (callback_id, attempt);
CREATE INDEX ix_callback_attempts_open ON callback_attempts (callback_id) WHERE ended_at IS NULL;

ALTER TABLE calls ADD COLUMN callback_id TEXT NULL; -- a callback attempt: its callback (callbacks.id)
ALTER TABLE calls ADD COLUMN callback_of TEXT NULL; -- a callback attempt: the call that asked for it (calls.id)

ALTER TABLE queue_visits ADD COLUMN callback_completed_at INTEGER NULL; -- outcome CallbackRequested: when it reached the customer
DROP INDEX ix_queue_visits_entered;
CREATE INDEX ix_queue_visits_entered ON queue_visits
    (entered_at, queue, outcome, outcome_at, agent, talk_ms, hold_ms, wrap_up_ms, callback_completed_at);
