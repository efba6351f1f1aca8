-- Version 10: the queue statistics rollup (schema 8) is kept by the application instead of triggers
-- (QueueVisitRollup: each change to a visit moves that visit's contribution with delta upserts in the same
-- transaction, and new thresholds recount their queue). The triggers recounted a whole 15-minute bucket on every
-- change; the rows they left are exact, so they stay as they are.
DROP TRIGGER tr_queue_visits_insert;
DROP TRIGGER tr_queue_visits_update;
DROP TRIGGER tr_queue_visits_update_moved;
DROP TRIGGER tr_queue_visits_delete;
DROP TRIGGER tr_queue_thresholds_insert;
DROP TRIGGER tr_queue_thresholds_update;
DROP VIEW queue_visit_facts;
