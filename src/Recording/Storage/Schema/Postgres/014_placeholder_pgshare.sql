-- Placeholder of branch pgshare (migration 016 needs 014 and 015 to exist): replace with the real 014 on merge.
SELECT 1;
