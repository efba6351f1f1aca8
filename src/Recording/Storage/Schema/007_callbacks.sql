-- Version 7 belongs to the callbacks branch (queued and web callbacks), which ships the real 007_callbacks.sql.
-- This placeholder only keeps the versions contiguous (1, 2, 3 ...) on the voicemail/survey/dispositions branch, whose
-- migration is 008: when both branches meet, keep the callbacks branch's version of this file.
SELECT 1;
