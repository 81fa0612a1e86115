import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tacticalExamples } from './examples.js';
import { startFakeTactical, type FakeTactical, type TacticalAccountView } from './fakeServer.js';

/** The fake's own contract, with plain fetch: what vendor-apis.md §4 says TRMM does. */
const key = 'FAKEKEY0123456789ABCDEFGHIJKLMNO';
let fake: FakeTactical;
let acct: TacticalAccountView;
const call = (path: string, init: RequestInit & { key?: string | null } = {}) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== null) headers['x-api-key'] = init.key ?? key;
  return fetch(`${fake.baseUrl}${path}`, { ...init, headers, redirect: 'manual' });
};

beforeAll(async () => {
  fake = await startFakeTactical();
  acct = fake.addAccount({
    key,
    alerts: [
      { agentIndex: 0, severity: 'error', message: 'open' },
      { agentIndex: 1, severity: 'warning', message: 'resolved', resolved: true },
      { agentIndex: 2, severity: 'info', message: 'snoozed', snoozed: true },
    ],
  });
});
afterAll(() => fake.close());

describe('fake Tactical RMM', () => {
  it('GET / is open; everything else wants X-API-KEY with DRF bodies', async () => {
    expect(await (await call('/', { key: null })).json()).toEqual({ status: 'ok' });
    const none = await call('/clients/', { key: null });
    expect([none.status, await none.json()]).toEqual([401, tacticalExamples.notAuthenticated]);
    const wrong = await call('/clients/', { key: 'WRONG' });
    expect([wrong.status, await wrong.json()]).toEqual([401, { detail: 'Invalid token.' }]);
    expect(await (await call('/core/version/')).json()).toBe('0.0.203');
  });

  it('Django routes: a GET without the slash is a 301 to it; other unknown paths are an HTML 404', async () => {
    const redirect = await call('/clients');
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/clients/']);
    const missing = await call('/nope/');
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'text/html; charset=utf-8']);
  });

  it('PATCH /alerts/: only false filters; true filters nothing; another body returns all; top is wrapped', async () => {
    const patch = async (body: unknown) => (await (await call('/alerts/', { method: 'PATCH', body: JSON.stringify(body) })).json()) as { message: string }[];
    expect((await patch({ resolvedFilter: false, snoozedFilter: false })).map((a) => a.message)).toEqual(['open']);
    expect(await patch({ resolvedFilter: true, snoozedFilter: true })).toHaveLength(3);
    expect(await patch({ status: 'active' })).toHaveLength(3);
    expect(await patch({ top: 5 })).toMatchObject({ alerts_count: 1 });
  });

  it('agent rows carry names, not ids; ?client= filters; a bad monitoring type is 400', async () => {
    const rows = (await (await call(`/agents/?client=${acct.clients[0]?.id}`)).json()) as Record<string, unknown>[];
    expect(rows.length).toBe(4);
    expect(rows[0]).toMatchObject({ client_name: 'Client 1' });
    expect(rows[0]).not.toHaveProperty('client');
    expect(rows[0]).not.toHaveProperty('site');
    const bad = await call('/agents/?monitoring_type=laptop');
    expect([bad.status, await bad.json()]).toEqual([400, 'monitoring type does not exist']);
  });

  it('runscript: a missing body key is a 500 page; output "wait" returns the output, "forget" only says it will run', async () => {
    const agent = acct.agents[0]!;
    const script = acct.scripts[0]!;
    const missing = await call(`/agents/${agent.agent_id}/runscript/`, { method: 'POST', body: JSON.stringify({ script: script.id, output: 'wait' }) });
    expect(missing.status).toBe(500);
    const all = { script: script.id, args: [], run_as_user: false, env_vars: [], timeout: 30 };
    expect(await (await call(`/agents/${agent.agent_id}/runscript/`, { method: 'POST', body: JSON.stringify({ ...all, output: 'wait' }) })).json()).toMatch(/completed on/);
    expect(await (await call(`/agents/${agent.agent_id}/runscript/`, { method: 'POST', body: JSON.stringify({ ...all, output: 'forget' }) })).json()).toBe(`${script.name} will now be run on ${agent.hostname}`);
  });

  it('dashboard mode answers index.html with 200 for every path', async () => {
    const page = await fetch(`${fake.dashboardUrl}/core/version/`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('<!DOCTYPE html>');
  });
});
