-- Version 8: the queue statistics rollup (docs/metrics.md §7). Per queue and 15-minute UTC bucket of entered_at, the
-- sums and counts one report interval needs (the same rules as StatisticsAccumulator.AddCall), kept by triggers in the
-- transaction of every change to queue_visits (the bucket of the changed visit is recounted from its rows), so a
-- 30-day report over a million visits reads about 30,000 rows. The counts against thresholds are made with the
-- thresholds in queue_thresholds (20 s / 5 s for a queue without a row); a report whose thresholds differ for a
-- bucket reads that bucket's visits instead. Answered visits per agent and bucket (all queues together) are kept the
-- same way for the agents' handled.

-- The thresholds the rollup counts with, in ms (the server writes them from queues.yaml).
CREATE TABLE queue_thresholds (
    queue            TEXT    PRIMARY KEY,
    service_level_ms INTEGER NOT NULL,
    short_abandon_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- One visit as AddCall sees it: o = outcome code (0 waiting or unknown, 1 answered, 2 abandoned, 3 overflowed,
-- 4 callback requested, 5 other), w = wait in ms (null without an outcome time), h = handle ms (null until handled),
-- ok = usable (a queue name; a time for the outcomes that need one).
CREATE VIEW queue_visit_facts AS
SELECT queue, entered_at, agent, o, w, h, cc,
       (queue <> '' AND NOT (o BETWEEN 1 AND 4 AND w IS NULL)) AS ok
FROM (SELECT queue, entered_at, agent, callback_completed_at AS cc,
             CASE outcome WHEN 'Answered' THEN 1 WHEN 'Abandoned' THEN 2 WHEN 'Overflowed' THEN 3
                          WHEN 'CallbackRequested' THEN 4 WHEN 'Other' THEN 5 ELSE 0 END AS o,
             CASE WHEN outcome_at IS NULL THEN NULL ELSE max(0, outcome_at - entered_at) END AS w,
             CASE WHEN talk_ms IS NOT NULL AND wrap_up_ms IS NOT NULL
                  THEN max(0, talk_ms) + max(0, hold_ms) + max(0, wrap_up_ms) END AS h
      FROM queue_visits);

CREATE TABLE queue_visit_rollup (
    bucket              INTEGER NOT NULL, -- Unix ms of the 15-minute UTC bucket's start
    queue               TEXT    NOT NULL,
    service_level_ms    INTEGER NOT NULL, -- the thresholds the *_within and short_abandoned counts were made with
    short_abandon_ms    INTEGER NOT NULL,
    offered             INTEGER NOT NULL,
    waiting             INTEGER NOT NULL,
    answered            INTEGER NOT NULL,
    answered_wait_ms    INTEGER NOT NULL,
    answered_within     INTEGER NOT NULL,
    handled_count       INTEGER NOT NULL,
    handle_ms           INTEGER NOT NULL,
    abandoned           INTEGER NOT NULL,
    short_abandoned     INTEGER NOT NULL,
    abandoned_within    INTEGER NOT NULL,
    overflowed          INTEGER NOT NULL,
    callbacks_requested INTEGER NOT NULL,
    callbacks_completed INTEGER NOT NULL, -- of those, the ones whose callback reached the customer
    other               INTEGER NOT NULL,
    wait_count          INTEGER NOT NULL,
    wait_ms             INTEGER NOT NULL,
    longest_wait_ms     INTEGER NOT NULL,
    rejected            INTEGER NOT NULL, -- unusable visits (no queue name, an outcome without its time)
    PRIMARY KEY (bucket, queue)
) WITHOUT ROWID;

-- Answered visits per agent and bucket, all queues together (the agents' handled).
CREATE TABLE agent_handled_rollup (
    bucket  INTEGER NOT NULL,
    agent   TEXT    NOT NULL,
    handled INTEGER NOT NULL,
    PRIMARY KEY (bucket, agent)
) WITHOUT ROWID;

INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
SELECT (v.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE 1
    GROUP BY 1, v.queue;

INSERT INTO agent_handled_rollup (bucket, agent, handled)
SELECT v.entered_at / 900000 * 900000, v.agent, count(*) FROM queue_visit_facts v
WHERE v.ok AND v.o = 1 AND v.agent <> ''
GROUP BY 1, v.agent;

CREATE TRIGGER tr_queue_visits_insert AFTER INSERT ON queue_visits
BEGIN
    DELETE FROM queue_visit_rollup WHERE bucket = (NEW.entered_at / 900000 * 900000) AND queue = NEW.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (NEW.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.entered_at >= (NEW.entered_at / 900000 * 900000) AND v.entered_at < (NEW.entered_at / 900000 * 900000) + 900000 AND v.queue = NEW.queue
    GROUP BY v.queue;
    DELETE FROM agent_handled_rollup WHERE bucket = (NEW.entered_at / 900000 * 900000);
    INSERT INTO agent_handled_rollup (bucket, agent, handled)
    SELECT (NEW.entered_at / 900000 * 900000), v.agent, count(*) FROM queue_visit_facts v
    WHERE v.entered_at >= (NEW.entered_at / 900000 * 900000) AND v.entered_at < (NEW.entered_at / 900000 * 900000) + 900000 AND v.ok AND v.o = 1 AND v.agent <> ''
    GROUP BY v.agent;
END;

CREATE TRIGGER tr_queue_visits_update AFTER UPDATE ON queue_visits
BEGIN
    DELETE FROM queue_visit_rollup WHERE bucket = (NEW.entered_at / 900000 * 900000) AND queue = NEW.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (NEW.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.entered_at >= (NEW.entered_at / 900000 * 900000) AND v.entered_at < (NEW.entered_at / 900000 * 900000) + 900000 AND v.queue = NEW.queue
    GROUP BY v.queue;
    DELETE FROM agent_handled_rollup WHERE bucket = (NEW.entered_at / 900000 * 900000);
    INSERT INTO agent_handled_rollup (bucket, agent, handled)
    SELECT (NEW.entered_at / 900000 * 900000), v.agent, count(*) FROM queue_visit_facts v
    WHERE v.entered_at >= (NEW.entered_at / 900000 * 900000) AND v.entered_at < (NEW.entered_at / 900000 * 900000) + 900000 AND v.ok AND v.o = 1 AND v.agent <> ''
    GROUP BY v.agent;
END;

CREATE TRIGGER tr_queue_visits_update_moved AFTER UPDATE OF queue, entered_at ON queue_visits
WHEN OLD.queue IS NOT NEW.queue OR OLD.entered_at / 900000 <> NEW.entered_at / 900000
BEGIN
    DELETE FROM queue_visit_rollup WHERE bucket = (OLD.entered_at / 900000 * 900000) AND queue = OLD.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (OLD.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.entered_at >= (OLD.entered_at / 900000 * 900000) AND v.entered_at < (OLD.entered_at / 900000 * 900000) + 900000 AND v.queue = OLD.queue
    GROUP BY v.queue;
    DELETE FROM agent_handled_rollup WHERE bucket = (OLD.entered_at / 900000 * 900000);
    INSERT INTO agent_handled_rollup (bucket, agent, handled)
    SELECT (OLD.entered_at / 900000 * 900000), v.agent, count(*) FROM queue_visit_facts v
    WHERE v.entered_at >= (OLD.entered_at / 900000 * 900000) AND v.entered_at < (OLD.entered_at / 900000 * 900000) + 900000 AND v.ok AND v.o = 1 AND v.agent <> ''
    GROUP BY v.agent;
END;

CREATE TRIGGER tr_queue_visits_delete AFTER DELETE ON queue_visits
BEGIN
    DELETE FROM queue_visit_rollup WHERE bucket = (OLD.entered_at / 900000 * 900000) AND queue = OLD.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (OLD.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.entered_at >= (OLD.entered_at / 900000 * 900000) AND v.entered_at < (OLD.entered_at / 900000 * 900000) + 900000 AND v.queue = OLD.queue
    GROUP BY v.queue;
    DELETE FROM agent_handled_rollup WHERE bucket = (OLD.entered_at / 900000 * 900000);
    INSERT INTO agent_handled_rollup (bucket, agent, handled)
    SELECT (OLD.entered_at / 900000 * 900000), v.agent, count(*) FROM queue_visit_facts v
    WHERE v.entered_at >= (OLD.entered_at / 900000 * 900000) AND v.entered_at < (OLD.entered_at / 900000 * 900000) + 900000 AND v.ok AND v.o = 1 AND v.agent <> ''
    GROUP BY v.agent;
END;

-- New thresholds for a queue: its rollup is recounted with them.
CREATE TRIGGER tr_queue_thresholds_insert AFTER INSERT ON queue_thresholds
BEGIN
    DELETE FROM queue_visit_rollup WHERE queue = NEW.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (v.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.queue = NEW.queue
    GROUP BY 1, v.queue;
END;

CREATE TRIGGER tr_queue_thresholds_update AFTER UPDATE ON queue_thresholds
WHEN OLD.service_level_ms <> NEW.service_level_ms OR OLD.short_abandon_ms <> NEW.short_abandon_ms
BEGIN
    DELETE FROM queue_visit_rollup WHERE queue = NEW.queue;
    INSERT INTO queue_visit_rollup (bucket, queue, service_level_ms, short_abandon_ms, offered, waiting, answered, answered_wait_ms, answered_within, handled_count, handle_ms, abandoned, short_abandoned, abandoned_within, overflowed, callbacks_requested, callbacks_completed, other, wait_count, wait_ms, longest_wait_ms, rejected)
    SELECT (v.entered_at / 900000 * 900000) AS bucket, v.queue,
           coalesce(qt.service_level_ms, 20000), coalesce(qt.short_abandon_ms, 5000),
           sum(v.ok), sum(v.ok AND v.o = 0),
           sum(v.ok AND v.o = 1), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.w END), 0), sum(v.ok AND v.o = 1 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 1 AND v.h IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o = 1 THEN v.h END), 0),
           sum(v.ok AND v.o = 2), sum(v.ok AND v.o = 2 AND coalesce(qt.short_abandon_ms, 5000) > 0 AND v.w <= coalesce(qt.short_abandon_ms, 5000)), sum(v.ok AND v.o = 2 AND v.w <= coalesce(qt.service_level_ms, 20000)),
           sum(v.ok AND v.o = 3), sum(v.ok AND v.o = 4), sum(v.ok AND v.o = 4 AND v.cc IS NOT NULL), sum(v.ok AND v.o = 5),
           sum(v.ok AND v.o > 0 AND v.w IS NOT NULL), coalesce(sum(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           coalesce(max(CASE WHEN v.ok AND v.o > 0 THEN v.w END), 0),
           sum(NOT v.ok)
    FROM queue_visit_facts v LEFT JOIN queue_thresholds qt ON qt.queue = v.queue
    WHERE v.queue = NEW.queue
    GROUP BY 1, v.queue;
END;
