import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHealthWorld, type HealthWorld } from '../../test/healthWorld.js';
import { systemActor } from '../integrations/actor.js';
import { reconfigureIntegration } from '../integrations/mutations.js';

// An edit of the settings resets the status to Configured; the new settings' first check must
// come soon (within a minute), not when the old settings' schedule or backoff says.

const waitFor = async (what: string, condition: () => Promise<boolean>, timeoutMs = 20_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('health check after a settings edit', () => {
  let w: HealthWorld;
  beforeEach(async () => {
    w = await createHealthWorld();
  });
  afterEach(() => w.close());

  const schedule = async (partnerId: number) =>
    (await w.query<{ in_s: number; leased: boolean }>(
      'SELECT extract(epoch FROM next_check_at - now())::float AS in_s, lease_id IS NOT NULL AS leased FROM integration_health_schedule WHERE partner_id = $1',
      [partnerId],
    ))[0];
  const edit = (p: { id: number; subdomain: string }) =>
    reconfigureIntegration(w.server.deps, p.id, systemActor, { key: 'syncro', settings: { subdomain: p.subdomain, api_token: `syncro-token-${p.id}-abcdefgh` } });

  it('makes a backed-off integration due within a minute, and health results move nothing', async () => {
    const [p, other] = await w.addPartners(2);
    if (!p || !other) throw new Error('no partner');
    w.fake.setFaults({ badCredentials: true }, p.subdomain);
    for (let i = 0; i < 3; i++) {
      await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [p.id]);
      await w.instance().sweep();
    }
    // Three failures: backed off to an hour.
    expect((await schedule(p.id))?.in_s).toBeGreaterThan(59 * 60);
    await w.query("UPDATE integration_health_schedule SET next_check_at = now() + interval '40 minutes' WHERE partner_id = $1", [other.id]);

    w.fake.resetFaults();
    const detail = await edit(p);
    expect(detail.state).toMatchObject({ status: 'Configured', consecutiveFailures: 0 });
    const after = await schedule(p.id);
    expect(after?.leased).toBe(false);
    expect(after?.in_s).toBeGreaterThan(0);
    expect(after?.in_s).toBeLessThanOrEqual(60);
    // Only the edited configuration moved.
    expect((await schedule(other.id))?.in_s).toBeGreaterThan(39 * 60);

    // When it falls due, the new settings are checked and the integration becomes Active.
    await w.query('UPDATE integration_health_schedule SET next_check_at = now() WHERE partner_id = $1', [p.id]);
    expect(await w.instance().sweep()).toMatchObject({ checked: 1, ok: 1 });
    expect((await w.query<{ status: string }>('SELECT status FROM integration_configurations WHERE partner_id = $1', [p.id]))[0]?.status).toBe('Active');
    // A recorded result is not an edit: the next check is an interval out, not soon.
    expect((await schedule(p.id))?.in_s).toBeGreaterThan(14 * 60);
  });

  it('a check running during the edit leaves the lease alone, drops its stale result and reschedules soon', async () => {
    const [p] = await w.addPartners(1);
    if (!p) throw new Error('no partner');
    w.fake.setFaults({ delayMs: 500 });
    await w.query('UPDATE integration_health_schedule SET next_check_at = now()');
    const running = w.instance().sweep();
    await waitFor('the check in flight', async () => w.fake.requestCount({ tenant: p.subdomain, path: '/me' }) === 1);

    await edit(p);
    // Still leased by the running check, due only when its lease ends: no second check meanwhile.
    const during = await schedule(p.id);
    expect(during?.leased).toBe(true);
    expect(during?.in_s).toBeGreaterThan(60);

    expect(await running).toMatchObject({ stale: 1, checked: 1, ok: 0 });
    const after = await schedule(p.id);
    expect(after?.leased).toBe(false);
    expect(after?.in_s).toBeGreaterThan(0);
    expect(after?.in_s).toBeLessThanOrEqual(60);
    // Nothing was recorded for the old settings.
    expect(await w.query('SELECT 1 FROM integration_health_history')).toEqual([]);
    expect((await w.query<{ status: string }>('SELECT status FROM integration_configurations'))[0]?.status).toBe('Configured');
  });
});
