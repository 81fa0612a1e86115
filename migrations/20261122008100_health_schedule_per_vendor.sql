-- Up Migration

-- Claims are made per integration key (per vendor): each instance takes of every key only as
-- many due rows as that key has free slots, so the rows of a hanging vendor can no longer fill an
-- instance's global slots and hold the other vendors back (health audit, issue 6). Each key's
-- claim is "the earliest due rows of this key": an index range of its own, instead of a walk
-- over every due row of every other key.
CREATE INDEX integration_health_schedule_key_due_idx
  ON integration_health_schedule (integration_key, next_check_at);

-- Down Migration

DROP INDEX IF EXISTS integration_health_schedule_key_due_idx;
