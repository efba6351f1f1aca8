-- Version 5 belongs to the statistics work (its own 005 file replaces this one when both branches meet).
-- This placeholder only keeps the versions contiguous (Database requires 1, 2, 3...) so that 006 can ship first;
-- it changes nothing.
SELECT 1;
