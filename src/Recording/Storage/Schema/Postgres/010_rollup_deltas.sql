-- Version 10 (PostgreSQL; as Sqlite/010): the queue statistics rollup (schema 8) is kept by the application instead of
-- triggers (QueueVisitRollup: each change to a visit moves that visit's contribution with delta upserts in the same
-- transaction, under a transaction advisory lock; new thresholds recount their queue). The rows the triggers left are
-- exact, so they stay. And the agent time rollup, pivoted.
DROP TRIGGER tr_queue_visits_rollup ON queue_visits;
DROP TRIGGER tr_queue_thresholds_rollup ON queue_thresholds;
DROP FUNCTION queue_visits_rollup();
DROP FUNCTION queue_thresholds_rollup();
DROP FUNCTION queue_visit_rollup_recount(TEXT, BIGINT, BIGINT);
DROP FUNCTION agent_handled_rollup_recount(BIGINT);
DROP VIEW queue_visit_facts;

-- The agents' working-state time per agent and 15-minute UTC bucket, a column per state (agent_state_time's rows for
-- Available, Ringing, OnCall and WrapUp, pivoted), kept by AgentStateStore in the transaction of each change.
CREATE TABLE agent_time_rollup (
    bucket       BIGINT NOT NULL,
    agent        TEXT   NOT NULL,
    available_ms BIGINT NOT NULL DEFAULT 0,
    ringing_ms   BIGINT NOT NULL DEFAULT 0,
    on_call_ms   BIGINT NOT NULL DEFAULT 0,
    wrap_up_ms   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, agent)
);

INSERT INTO agent_time_rollup (bucket, agent, available_ms, ringing_ms, on_call_ms, wrap_up_ms)
SELECT bucket, agent,
       sum(CASE state WHEN 'Available' THEN ms ELSE 0 END), sum(CASE state WHEN 'Ringing' THEN ms ELSE 0 END),
       sum(CASE state WHEN 'OnCall' THEN ms ELSE 0 END), sum(CASE state WHEN 'WrapUp' THEN ms ELSE 0 END)
FROM agent_state_time
WHERE state IN ('Available', 'Ringing', 'OnCall', 'WrapUp')
GROUP BY bucket, agent;
