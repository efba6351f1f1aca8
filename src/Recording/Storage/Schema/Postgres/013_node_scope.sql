-- Version 13: which cluster node wrote a call record, a recording or a voicemail (NULL on a single server and for
-- rows written before this version). A node's start-up recovery and retention sweep touch only its own rows (and
-- NULL ones): on a shared PostgreSQL, a node restarting must not close the live calls of the others, nor repair or
-- delete recordings whose files are on another machine.
ALTER TABLE calls ADD COLUMN node TEXT NULL;
ALTER TABLE recordings ADD COLUMN node TEXT NULL;
ALTER TABLE voicemails ADD COLUMN node TEXT NULL;
