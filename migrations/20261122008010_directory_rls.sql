-- Up Migration

-- ic_app could read every partner's users (emails, names, roles) and every partner row: the
-- foundation granted SELECT on the global directory without row-level security, so a partner-
-- scoped query that forgot its filter would list other partners' people. Same policies as the
-- partner tables: own partner's rows; the dev partner reads all (its partner list and fleet
-- matrix name every partner). ic_app has no write grant here; the WITH CHECK is there so a
-- future grant cannot write across partners either.
--
-- Who reads these tables, and as whom (server/db/users.ts, partners.ts, fleet.ts):
--   login, the token's principal lookup, CLI, demo seed  -> connecting role (table owner or
--     superuser, not bound by RLS: the directory is looked up before the partner is known)
--   dev partner list, devScope's partnerExists, fleet     -> ic_app in the dev partner's scope
--   ic_current_partner_is_dev()                           -> SECURITY DEFINER, owner: unaffected
ALTER TABLE partners ENABLE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_partner ON partners
  USING (id = (SELECT ic_current_partner()))
  WITH CHECK (id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON partners FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

CREATE POLICY own_partner ON users
  USING (partner_id = (SELECT ic_current_partner()))
  WITH CHECK (partner_id = (SELECT ic_current_partner()));
CREATE POLICY dev_reads_all ON users FOR SELECT
  USING ((SELECT ic_current_partner_is_dev()));

-- Down Migration

DROP POLICY IF EXISTS dev_reads_all ON users;
DROP POLICY IF EXISTS own_partner ON users;
DROP POLICY IF EXISTS dev_reads_all ON partners;
DROP POLICY IF EXISTS own_partner ON partners;
ALTER TABLE users DISABLE ROW LEVEL SECURITY;
ALTER TABLE partners DISABLE ROW LEVEL SECURITY;
