-- Up Migration

-- sync_mutations keeps each applied mutation's result for replays. A client pushes its outbox
-- oldest first and drops a mutation only once it holds its result, so a push whose first id is
-- F acknowledges every result below F: the service deletes those (issue 7 follow-up), which
-- keeps about one batch per client instead of every change ever made.
GRANT DELETE ON sync_mutations TO ic_app;

-- Down Migration

REVOKE DELETE ON sync_mutations FROM ic_app;
