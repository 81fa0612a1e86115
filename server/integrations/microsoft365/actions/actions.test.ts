import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { captureLogs } from '../../../test/logCapture.js';
import type { ActionDefinition } from '../../actions.js';
import { seedM365Partner, type SeededPartner } from '../fakeSeed.js';
import { m365ActionContext, m365TestSetup } from '../testContext.js';

const logs = captureLogs();
const { fake, plugin } = await m365TestSetup({ actionTimeoutMs: 5_000 });
let seeded: SeededPartner;
let a: string, b: string, c: string;

beforeEach(() => {
  seeded = seedM365Partner(fake, { prefix: 0xd00, tenants: 4, names: (i) => ['Dataforth', 'Dataforth EU', 'Harbor Dental', 'Not ours'][i - 1]! });
  [a, b, c] = seeded.tenants.map((t) => t.id) as [string, string, string];
});

/** Client 7 maps to Dataforth's two tenants; client 8 to Harbor Dental's. */
const context = () =>
  m365ActionContext(plugin, fake, seeded.settings, logs.log, {
    7: [
      { id: a, name: 'Dataforth', clientName: 'Dataforth Corporation' },
      { id: b, name: 'Dataforth EU', clientName: 'Dataforth Corporation' },
    ],
    8: [{ id: c, name: 'Harbor Dental', clientName: 'Harbor Dental' }],
  });

function action(id: string): ActionDefinition<unknown, unknown> {
  const found = plugin.actions?.find((x) => x.id === id);
  if (!found) throw new Error(`no action ${id}`);
  return found as ActionDefinition<unknown, unknown>;
}
async function run(id: string, input: Record<string, unknown>, ctx = context()) {
  const definition = action(id);
  const outcome = await definition.run(ctx, definition.input.parse(input));
  return definition.output.parse(outcome.output) as Record<string, unknown>;
}
const refusal = async (p: Promise<unknown>) => {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
};

describe('Microsoft 365 actions', () => {
  it('licenses.summary over both of a client’s tenants: every row names its tenant, each tenant asked with its own token', async () => {
    const out = await run('microsoft365.licenses.summary', { clientId: 7 });
    expect(out.tenants).toEqual([
      { tenantId: a, tenantName: 'Dataforth', ok: true, error: null },
      { tenantId: b, tenantName: 'Dataforth EU', ok: true, error: null },
    ]);
    const rows = out.licenses as { tenantId: string; skuPartNumber: string; consumed: number; prepaid: number; available: number }[];
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.tenantId === a && r.skuPartNumber === 'O365_BUSINESS_PREMIUM')).toMatchObject({ consumed: 11, prepaid: 20, available: 9 });
    expect(fake.tokensIssued(a)).toBe(1);
    expect(fake.tokensIssued(b)).toBe(1);
    expect(fake.requestCount({ path: '/subscribedSkus', tenant: c })).toBe(0);
  });

  it('one tenant’s failure is reported beside the other’s rows, not instead of them', async () => {
    fake.setConsent(b, 'not_consented');
    const out = await run('microsoft365.secure_score.get', { clientId: 7 });
    expect(out.tenants).toEqual([
      { tenantId: a, tenantName: 'Dataforth', ok: true, error: null },
      { tenantId: b, tenantName: 'Dataforth EU', ok: false, error: expect.stringContaining('consent missing') },
    ]);
    expect(out.scores).toEqual([expect.objectContaining({ tenantId: a, currentScore: 31, maxScore: 100, percent: 31 })]);
    fake.setConsent(b, 'consented', ['Organization.Read.All']);
    const again = await run('microsoft365.secure_score.get', { clientId: 7, tenantId: b });
    expect(again.tenants).toEqual([{ tenantId: b, tenantName: 'Dataforth EU', ok: false, error: expect.stringContaining('SecurityEvents.Read.All') }]);
  });

  it('a tenant that is not this client’s (or not the partner’s customer) is 404, and nothing is sent', async () => {
    for (const [id, input] of [
      ['microsoft365.licenses.summary', { clientId: 7, tenantId: c }],
      ['microsoft365.users.find', { clientId: 7, tenantId: '99999999-0000-4000-8000-000000000000', query: 'a' }],
      ['microsoft365.users.revoke_sessions', { clientId: 7, tenantId: seeded.tenants[3]!.id, userId: 'adele@x.onmicrosoft.com' }],
    ] as const) {
      expect((await refusal(run(id, input))).code).toBe('NOT_FOUND');
    }
    expect(fake.tokenRequests()).toBe(0);
  });

  it('users.find in one tenant or all; revoke_sessions calls Graph once in the right tenant', async () => {
    const found = await run('microsoft365.users.find', { clientId: 7, query: 'adele' });
    expect((found.users as { tenantId: string }[]).map((u) => u.tenantId)).toEqual([a, b]);
    const adeleB = seeded.tenants[1]!.users![0]!;
    const out = await run('microsoft365.users.revoke_sessions', { clientId: 7, tenantId: b, userId: adeleB.id });
    expect(out).toEqual({ tenantId: b, tenantName: 'Dataforth EU', userId: adeleB.id, revoked: true });
    expect(fake.revocations(b, adeleB.id)).toBe(1);
    // Tenant A's user in tenant B: not found there (the token is bound to B).
    expect((await refusal(run('microsoft365.users.revoke_sessions', { clientId: 7, tenantId: b, userId: seeded.tenants[0]!.users![0]!.id }))).code).toBe('NOT_FOUND');
  });

  it('tenants.list: consent per tenant with the reason in plain words and the admin-consent link; run again after consent, it is consented', async () => {
    fake.setConsent(c, 'gdap_not_authorized');
    const out = (await run('microsoft365.tenants.list', {})).tenants as { tenantId: string; consent: string; reason: string | null; consentUrl: string | null; clientId: number }[];
    expect(out.map((t) => [t.tenantId, t.clientId, t.consent])).toEqual([
      [a, 7, 'consented'],
      [b, 7, 'consented'],
      [c, 8, 'gdap_not_authorized'],
    ]);
    const harbor = out[2]!;
    expect(harbor.reason).toMatch(/^consent missing: the app is not authorized for partner delegated admins.*\(AADSTS90099\)$/);
    const link = new URL(harbor.consentUrl!);
    expect(link.pathname).toBe(`/${c}/adminconsent`);
    expect(link.searchParams.get('client_id')).toBe(seeded.settings.app_id);
    expect(link.searchParams.get('redirect_uri')).toBe('http://127.0.0.1/callback');
    // The admin follows the link and approves; Microsoft sends them back to the loopback address.
    const back = await fetch(link, { redirect: 'manual' });
    expect(new URL(back.headers.get('location')!).searchParams.get('admin_consent')).toBe('True');
    const recheck = (await run('microsoft365.tenants.list', { clientId: 8 })).tenants as { consent: string; consentUrl: string | null }[];
    expect(recheck).toEqual([expect.objectContaining({ consent: 'consented', consentUrl: null })]);
  });

  it('revoke without User.RevokeSessions.All in that tenant: refused naming the permission, nothing revoked', async () => {
    fake.setConsent(b, 'consented', ['Organization.Read.All', 'User.Read.All']);
    const user = seeded.tenants[1]!.users![0]!;
    const error = await refusal(run('microsoft365.users.revoke_sessions', { clientId: 7, tenantId: b, userId: user.id }));
    expect(error.message).toMatch(/^Dataforth EU: permission missing: the app needs User\.RevokeSessions\.All/);
    expect(fake.revocations(b)).toBe(0);
  });

  it('an expired secret fails the run with the reason, not a per-tenant row', async () => {
    fake.setSecretExpired(true);
    const error = await refusal(run('microsoft365.licenses.summary', { clientId: 7 }));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/client secret expired: .*\(AADSTS7000222\)/);
  });

  it('refuses bad input with field messages', () => {
    expect(action('microsoft365.licenses.summary').input.safeParse({ clientId: 7, tenantId: 'contoso' }).success).toBe(false);
    expect(action('microsoft365.users.find').input.safeParse({ clientId: 7, query: "x' or 1 eq 1" }).success).toBe(false);
  });
});
