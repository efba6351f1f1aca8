-- Version 8 (PostgreSQL): the queue statistics rollup (docs/metrics.md §7), ported from Sqlite/008. Per queue and
-- 15-minute UTC bucket of entered_at, the sums and counts one report interval needs, kept by a PL/pgSQL trigger in the
-- transaction of every change to queue_visits (the bucket of the changed visit is recounted from its rows); answered
-- visits per agent and bucket the same way. The counts against thresholds use queue_thresholds (20 s / 5 s for a queue
-- without a row); new thresholds recount the queue.

-- The thresholds the rollup counts with, in ms (the server writes them from queues.yaml).
CREATE TABLE queue_thresholds (
    queue            TEXT   PRIMARY KEY,
    service_level_ms BIGINT NOT NULL,
    short_abandon_ms BIGINT NOT NULL
);

-- One visit as AddCall sees it: o = outcome code (0 waiting or unknown, 1 answered, 2 abandoned, 3 overflowed,
-- 4 callback requested, 5 other), w = wait in ms (null without an outcome time), h = handle ms (null until handled),
-- ok = usable (a queue name; a time for the outcomes that need one).
CREATE VIEW queue_visit_facts AS
SELECT queue, entered_at, agent, o, w, h, cc,
       (queue <> '' AND NOT (o BETWEEN 1 AND 4 AND w IS NULL)) AS ok
FROM (SELECT queue, entered_at, agent, callback_completed_at AS cc,
             CASE outcome WHEN 'Answered' THEN 1 WHEN 'Abandoned' THEN 2 WHEN 'Overflowed' THEN 3
                          WHEN 'CallbackRequested' THEN 4 WHEN 'Other' THEN 5 ELSE 0 END AS o,
             CASE WHEN outcome_at IS NULL THEN NULL ELSE greatest(0, outcome_at - entered_at) END AS w,
             CASE WHEN talk_ms IS NOT NULL AND wrap_up_ms IS NOT NULL
                  THEN greatest(0, talk_ms) + greatest(0, hold_ms) + greatest(0, wrap_up_ms) END AS h
      FROM queue_visits) AS visits;

CREATE TABLE queue_visit_rollup (
    bucket              BIGINT  NOT NULL, -- Unix ms of the 15-minute UTC bucket's start
    queue               TEXT    NOT NULL,
    service_level_ms    BIGINT  NOT NULL, -- the thresholds the *_within and short_abandoned counts were made with
    short_abandon_ms    BIGINT  NOT NULL,
    offered             INTEGER NOT NULL,
    waiting             INTEGER NOT NULL,
    answered            INTEGER NOT NULL,
    answered_wait_ms    BIGINT  NOT NULL,
    answered_within     INTEGER NOT NULL,
    handled_count       INTEGER NOT NULL,
    handle_ms           BIGINT  NOT NULL,
    abandoned           INTEGER NOT NULL,
    short_abandoned     INTEGER NOT NULL,
    abandoned_within    INTEGER NOT NULL,
    overflowed          INTEGER NOT NULL,
    callbacks_requested INTEGER NOT NULL,
    callbacks_completed INTEGER NOT NULL, -- of those, the ones whose callback reached the customer
    other               INTEGER NOT NULL,
    wait_count          INTEGER NOT NULL,
    wait_ms             BIGINT  NOT NULL,
    longest_wait_ms     BIGINT  NOT NULL,
    rejected            INTEGER NOT NULL, -- unusable visits (no queue name, an outcome without its time)
    PRIMARY KEY (bucket, queue)
);

-- Answered visits per agent and bucket, all queues together (the agents' handled).
CREATE TABLE agent_handled_rollup (
    bucket  BIGINT  NOT NULL,
    agent   TEXT    NOT NULL,
    handled INTEGER NOT NULL,
    PRIMARY KEY (bucket, agent)
);

-- Recounts the rollup rows of one queue for the visits entered in [p_from, p_to).
CREATE FUNCTION queue_visit_rollup_recount(p_queue TEXT, p_from BIGINT, p_to BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM queue_visit_rollup r WHERE r.queue = p_queue AND r.bucket >= p_from AND r.bucket < p_to;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered,
        answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed,
        callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT v.entered_at / 900000 * 900000, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           count(*) FILTER (WHERE v.ok), count(*) FILTER (WHERE v.ok AND v.o = 0),
           count(*) FILTER (WHERE v.ok AND v.o = 1), coalesce(sum(v.w) FILTER (WHERE v.ok AND v.o = 1), 0),
           count(*) FILTER (WHERE v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           count(*) FILTER (WHERE v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(v.h) FILTER (WHERE v.ok AND v.o = 1), 0),
           count(*) FILTER (WHERE v.ok AND v.o = 2),
           count(*) FILTER (WHERE v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)),
           count(*) FILTER (WHERE v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           count(*) FILTER (WHERE v.ok AND v.o = 3), count(*) FILTER (WHERE v.ok AND v.o = 4),
           count(*) FILTER (WHERE v.ok AND v.o = 4 AND v.cc IS NOT NULL), count(*) FILTER (WHERE v.ok AND v.o = 5),
           count(*) FILTER (WHERE v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(v.w) FILTER (WHERE v.ok AND v.o > 0), 0),
           coalesce(max(v.w) FILTER (WHERE v.ok AND v.o > 0), 0),
           count(*) FILTER (WHERE NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.queue = p_queue AND v.entered_at >= p_from AND v.entered_at < p_to
    GROUP BY 1, v.queue, qt.service_level_ms, qt.short_abandon_ms;
END;
$$;

-- Recounts the agents' handled of the bucket starting at p_bucket.
CREATE FUNCTION agent_handled_rollup_recount(p_bucket BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM agent_handled_rollup r WHERE r.bucket = p_bucket;
    INSERT INTO agent_handled_rollup (bucket, agent, handled)
    SELECT p_bucket, v.agent, count(*) FROM queue_visit_facts v
    WHERE v.entered_at >= p_bucket AND v.entered_at < p_bucket + 900000 AND v.ok AND v.o = 1 AND v.agent <> ''
    GROUP BY v.agent;
END;
$$;

SELECT queue_visit_rollup_recount(q.queue, -9223372036854775807, 9223372036854775807)
FROM (SELECT DISTINCT queue FROM queue_visits) AS q;

INSERT INTO agent_handled_rollup (bucket, agent, handled)
SELECT v.entered_at / 900000 * 900000, v.agent, count(*) FROM queue_visit_facts v
WHERE v.ok AND v.o = 1 AND v.agent <> ''
GROUP BY 1, v.agent;

-- Sqlite/008's four queue_visits triggers in one: the new row's bucket, and the old row's when it moved or went.
-- The recount deletes and re-inserts rollup rows: one transaction at a time (as SQLite's single writer), so two
-- visits committed together in one bucket never race to insert the same row.
CREATE FUNCTION queue_visits_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('queue_visit_rollup'));
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM queue_visit_rollup_recount(NEW.queue, NEW.entered_at / 900000 * 900000, NEW.entered_at / 900000 * 900000 + 900000);
        PERFORM agent_handled_rollup_recount(NEW.entered_at / 900000 * 900000);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE'
        AND (OLD.queue IS DISTINCT FROM NEW.queue OR OLD.entered_at / 900000 <> NEW.entered_at / 900000)) THEN
        PERFORM queue_visit_rollup_recount(OLD.queue, OLD.entered_at / 900000 * 900000, OLD.entered_at / 900000 * 900000 + 900000);
        PERFORM agent_handled_rollup_recount(OLD.entered_at / 900000 * 900000);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_queue_visits_rollup AFTER INSERT OR UPDATE OR DELETE ON queue_visits
    FOR EACH ROW EXECUTE FUNCTION queue_visits_rollup();

-- New thresholds for a queue: its rollup is recounted with them.
CREATE FUNCTION queue_thresholds_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('queue_visit_rollup'));
    IF TG_OP = 'INSERT' OR OLD.service_level_ms <> NEW.service_level_ms OR OLD.short_abandon_ms <> NEW.short_abandon_ms THEN
        PERFORM queue_visit_rollup_recount(NEW.queue, -9223372036854775807, 9223372036854775807);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_queue_thresholds_rollup AFTER INSERT OR UPDATE ON queue_thresholds
    FOR EACH ROW EXECUTE FUNCTION queue_thresholds_rollup();
