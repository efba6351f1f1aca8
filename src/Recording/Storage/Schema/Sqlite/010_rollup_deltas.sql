-- Version 10: the queue statistics rollup (schema 8) is kept by the application instead of triggers
-- (QueueVisitRollup: each change to a visit moves that visit's contribution with delta upserts in the same
-- transaction, and new thresholds recount their queue). The triggers recounted a whole 15-minute bucket on every
-- change; the rows they left are exact, so they stay as they are. And the agent time rollup, pivoted (at the end).
DROP TRIGGER tr_queue_visits_insert;
DROP TRIGGER tr_queue_visits_update;
DROP TRIGGER tr_queue_visits_update_moved;
DROP TRIGGER tr_queue_visits_delete;
DROP TRIGGER tr_queue_thresholds_insert;
DROP TRIGGER tr_queue_thresholds_update;
DROP VIEW queue_visit_facts;

-- The agents' working-state time per agent and 15-minute UTC bucket, a column per state (the rows of agent_state_time
-- for Available, Ringing, OnCall and WrapUp, pivoted): kept by AgentStateStore in the transaction of each change, so
-- the agent report reads one row per agent and bucket instead of grouping four (issue 12: 30 days over 1M calls).
-- Paused time stays in agent_state_time, by reason.
CREATE TABLE agent_time_rollup (
    bucket       INTEGER NOT NULL,
    agent        TEXT    NOT NULL,
    available_ms INTEGER NOT NULL DEFAULT 0,
    ringing_ms   INTEGER NOT NULL DEFAULT 0,
    on_call_ms   INTEGER NOT NULL DEFAULT 0,
    wrap_up_ms   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, agent)
) WITHOUT ROWID;

INSERT INTO agent_time_rollup (bucket, agent, available_ms, ringing_ms, on_call_ms, wrap_up_ms)
SELECT bucket, agent,
       sum(CASE state WHEN 'Available' THEN ms ELSE 0 END), sum(CASE state WHEN 'Ringing' THEN ms ELSE 0 END),
       sum(CASE state WHEN 'OnCall' THEN ms ELSE 0 END), sum(CASE state WHEN 'WrapUp' THEN ms ELSE 0 END)
FROM agent_state_time
WHERE state IN ('Available', 'Ringing', 'OnCall', 'WrapUp')
GROUP BY bucket, agent;
