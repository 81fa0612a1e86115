-- Up Migration

-- Login throttling wrote a row per bucket and never removed it, so every made-up email an
-- attacker tried stayed in rate_limit_buckets forever. Each row now says when its window ends
-- (a bucket does not know its rule otherwise), and writers delete a bounded batch of ended rows.
-- The default covers rows written before this migration and by instances not yet upgraded: a
-- day is longer than any login window, so a row is never pruned while its window still counts.
ALTER TABLE rate_limit_buckets
  ADD COLUMN expires_at timestamptz NOT NULL DEFAULT (now() + interval '1 day');
CREATE INDEX rate_limit_buckets_expires_idx ON rate_limit_buckets (expires_at);

-- Down Migration

DROP INDEX IF EXISTS rate_limit_buckets_expires_idx;
ALTER TABLE rate_limit_buckets DROP COLUMN IF EXISTS expires_at;
