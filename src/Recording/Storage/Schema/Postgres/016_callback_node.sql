-- Version 16: which cluster node holds a callback (NULL on a single server and for rows written before this version).
-- A node's start-up recovery restores and interrupts only its own callbacks (and NULL ones): on a shared PostgreSQL a
-- node restarting must not restore the others' callbacks as its own nor close their live attempts. When a node dies, a
-- survivor adopts its pending callbacks (CallbackStore.AdoptAsync) so they are still called back at their place.
ALTER TABLE callbacks ADD COLUMN node TEXT NULL;
