import pg from 'pg';
import { hashPassword } from '../../server/auth/passwords.js';
import { withSystem } from '../../server/db/pool.js';
import { insertUser } from '../../server/db/users.js';
import type { BenchServer } from './server.js';

/**
 * Issue 7's benchmark partner: `integrations` configured integrations (through the real
 * configure route: encrypted secrets, audit rows) and `auditRows` audit rows in total,
 * interleaved across the integrations like a real trail, each with its own sync version.
 */
export async function loadSyncPartner(server: BenchServer, keys: readonly string[], auditRows: number) {
  const { deps } = server.runtime;
  const password = 'bench-password-0123456789';
  const partner = (await deps.db.pool.query<{ id: number }>("INSERT INTO partners (name) VALUES ('Sync Bench') RETURNING id")).rows[0];
  if (!partner) throw new Error('no partner');
  const passwordHash = await hashPassword(password);
  const email = 'admin@sync-bench.test';
  const userId = await withSystem(deps.db, (tx) => insertUser(tx, { partnerId: partner.id, email, displayName: 'Bench admin', passwordHash, role: 'partner_admin' }));
  const { token } = await deps.tokens.sign({ userId, partnerId: partner.id, role: 'partner_admin' });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  for (const key of keys) {
    const res = await fetch(`${server.url}/api/integrations/${key}/configure`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ settings: { subdomain: `bench-${key}`, api_token: `tok_${key}_benchmark_secret`, region: 'us', notes: 'configured for the sync benchmark' } }),
    });
    if (res.status !== 201) throw new Error(`configure ${key}: ${res.status} ${await res.text()}`);
  }

  // Bulk load: the per-row trigger would notify 50,000 times; versions are assigned here
  // exactly as the trigger would (one per row, after the partner's current version).
  const client = new pg.Client({ connectionString: server.runtime.databaseUrl });
  await client.connect();
  try {
    const existing = Number((await client.query('SELECT count(*) AS n FROM integration_audit_logs WHERE partner_id = $1', [partner.id])).rows[0]?.n);
    const toAdd = auditRows - existing;
    await client.query('BEGIN');
    await client.query('ALTER TABLE integration_audit_logs DISABLE TRIGGER integration_audit_logs_sync_version');
    const base = Number((await client.query('SELECT version FROM partner_sync_state WHERE partner_id = $1 FOR UPDATE', [partner.id])).rows[0]?.version);
    await client.query(
      `INSERT INTO integration_audit_logs (partner_id, integration_key, action, user_id, actor, details, sync_version, created_at)
       SELECT $1, ($2::text[])[1 + (r % $3)], (ARRAY['reconfigured','tested','health_changed'])[1 + r % 3], $4, $5,
              CASE r % 3
                WHEN 0 THEN '{"changes":[{"field":"subdomain","before":"old","after":"new","secret":false},{"field":"api_token","before":"set","after":"changed","secret":true}]}'::jsonb
                WHEN 1 THEN '{"fromStatus":"Active","toStatus":"Active","health":"ok"}'::jsonb
                ELSE '{"fromStatus":"Active","toStatus":"Error","health":"error","message":"The vendor answered 503"}'::jsonb END,
              $6 + r, now() - make_interval(secs => $7 - r)
         FROM generate_series(1, $7::int) r ORDER BY r`,
      [partner.id, keys, keys.length, userId, email, base, toAdd],
    );
    await client.query('UPDATE partner_sync_state SET version = $2 WHERE partner_id = $1', [partner.id, base + toAdd]);
    await client.query('ALTER TABLE integration_audit_logs ENABLE TRIGGER integration_audit_logs_sync_version');
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
  return { partnerId: partner.id, userId, email, password, token };
}
