-- Version 5: statistics (docs/metrics.md). The agent state history (one row per change, as the event log writes it),
-- closed agent state time per 15-minute UTC bucket (a rollup kept in the same transaction as each change, so a 30-day
-- report reads buckets instead of millions of changes), and one fact row per queue visit, kept from the queue events
-- in the same transaction as each event.

CREATE TABLE agent_states (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    agent       TEXT    NOT NULL,
    state       TEXT    NOT NULL, -- LoggedOut | Available | Ringing | OnCall | WrapUp | Paused
    reason      TEXT    NULL,     -- pause reason; LoggedOut written by the server itself: shutdown | interrupted
    occurred_at INTEGER NOT NULL
);
CREATE INDEX ix_agent_states_agent_time ON agent_states (agent, occurred_at);
CREATE INDEX ix_agent_states_time ON agent_states (occurred_at);

-- The state each agent is in now (the last row of agent_states per agent).
CREATE TABLE agent_current (
    agent TEXT    PRIMARY KEY,
    state TEXT    NOT NULL,
    reason TEXT   NULL,
    since INTEGER NOT NULL
) WITHOUT ROWID;

-- Closed state time per agent and 15-minute UTC bucket (bucket = Unix ms of its start, a multiple of 900000).
CREATE TABLE agent_state_time (
    bucket INTEGER NOT NULL,
    agent  TEXT    NOT NULL,
    state  TEXT    NOT NULL,
    reason TEXT    NOT NULL DEFAULT '',
    ms     INTEGER NOT NULL,
    PRIMARY KEY (bucket, agent, state, reason)
) WITHOUT ROWID;

CREATE TABLE queue_visits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id    TEXT    NOT NULL,
    queue      TEXT    NOT NULL,
    entered_at INTEGER NOT NULL,
    outcome    TEXT    NULL,              -- Answered | Abandoned | Overflowed | CallbackRequested | Other; NULL: waiting
    outcome_at INTEGER NULL,
    agent      TEXT    NULL,              -- who answered
    talk_ms    INTEGER NULL,              -- answered: time on call; NULL while connected
    hold_ms    INTEGER NOT NULL DEFAULT 0,
    wrap_up_ms INTEGER NULL               -- answered: after-call work; NULL until it is over
);
-- Covering: a report reads only this index, in time order.
CREATE INDEX ix_queue_visits_entered ON queue_visits (entered_at, queue, outcome, outcome_at, agent, talk_ms, hold_ms, wrap_up_ms);
CREATE INDEX ix_queue_visits_call ON queue_visits (call_id, queue);
CREATE INDEX ix_queue_visits_open ON queue_visits (entered_at) WHERE outcome IS NULL;
CREATE INDEX ix_queue_visits_handling ON queue_visits (agent) WHERE outcome = 'Answered' AND (talk_ms IS NULL OR wrap_up_ms IS NULL);

-- Queue visits of the calls stored before this version: each Entered event with the first answer, abandon or overflow
-- of the same call and queue after it; talk from the call record, no wrap-up known; a visit without either is closed
-- as Other when its call ended.
INSERT INTO queue_visits (call_id, queue, entered_at, outcome, outcome_at, agent, talk_ms, wrap_up_ms)
SELECT e.call_id, e.queue, e.occurred_at,
       coalesce(t.kind, CASE WHEN c.ended_at IS NOT NULL THEN 'Other' END),
       coalesce(t.occurred_at, c.ended_at),
       t.agent,
       CASE WHEN t.kind = 'Answered' THEN c.talk_ms END,
       CASE WHEN t.kind = 'Answered' THEN 0 END
FROM queue_events e
LEFT JOIN queue_events t ON t.id = (
    SELECT min(x.id) FROM queue_events x
    WHERE x.call_id = e.call_id AND x.queue = e.queue AND x.id > e.id AND x.kind IN ('Answered', 'Abandoned', 'Overflowed'))
LEFT JOIN calls c ON c.id = e.call_id
WHERE e.kind = 'Entered'
ORDER BY e.id;
