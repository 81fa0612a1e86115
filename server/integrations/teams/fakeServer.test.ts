import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from './fakeServer.js';

const tenant = '11111111-2222-4333-8444-555555555555';
const appId = 'aaaaaaaa-0000-4000-8000-000000000001';
let fake: FakeTeams;

beforeAll(async () => {
  fake = await startFakeTeams();
  fake.addTenant({ id: tenant });
  fake.addApp({ appId, secret: 'good~secret', type: 'single_tenant', homeTenant: tenant });
  fake.addTeam({ tenant, teamId: '19:team@thread.tacv2', channels: [], apps: [appId] });
  fake.addUser({ tenant, userId: '29:u1', apps: [appId] });
});
afterAll(() => fake.close());

const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const creds = { grant_type: 'client_credentials', client_id: appId, client_secret: 'good~secret', scope: 'https://api.botframework.com/.default' };

async function token(tenantPath: string, fields = creds) {
  const res = await fetch(`${fake.origin}/${tenantPath}/oauth2/v2.0/token`, form(fields));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('the fake Entra token endpoint', () => {
  it("issues a Bearer token at the app's tenant", async () => {
    const { status, body } = await token(tenant);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, access_token: expect.stringMatching(/^fake-bf-/) });
  });

  it("answers in Entra's error shape: 401 AADSTS7000215, 400 AADSTS700016 at botframework.com, 400 AADSTS90002", async () => {
    const bad = await token(tenant, { ...creds, client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: 'invalid_client', error_description: expect.stringMatching(/^AADSTS7000215: /), error_codes: [7000215], error_uri: expect.any(String) });
    expect(Object.keys(bad.body).sort()).toEqual(['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
    const multi = await token('botframework.com');
    expect([multi.status, multi.body.error, multi.body.error_codes]).toEqual([400, 'unauthorized_client', [700016]]);
    const unknown = await token('nowhere.example');
    expect([unknown.status, unknown.body.error_codes]).toEqual([400, [90002]]);
    expect(fake.tokenRequests(appId)).toBe(4);
  });
});

describe('the fake Bot Framework service', () => {
  it('refuses tokens it did not issue, and those expired early', async () => {
    const post = (auth: string) => fetch(`${fake.origin}/teams/v3/conversations`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ isGroup: true, channelData: { channel: { id: '19:team@thread.tacv2' } }, activity: { type: 'message', text: 'hi' } }) });
    expect((await post('Bearer made-up')).status).toBe(401);
    const { body } = await token(tenant);
    const ok = await post(`Bearer ${String(body.access_token)}`);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ id: expect.stringMatching(/^19:team@thread\.tacv2;messageid=\d+$/), activityId: expect.any(String) });
    fake.expireTokens();
    expect((await post(`Bearer ${String(body.access_token)}`)).status).toBe(401);
  });

  it('a group chat cannot be created (400 BadSyntax); a personal chat keeps its id', async () => {
    const { body } = await token(tenant);
    const create = (members: { id: string }[]) =>
      fetch(`${fake.origin}/amer/v3/conversations`, { method: 'POST', headers: { authorization: `Bearer ${String(body.access_token)}`, 'content-type': 'application/json' }, body: JSON.stringify({ isGroup: false, members, tenantId: tenant }) });
    const group = await create([{ id: '29:u1' }, { id: '29:u2' }]);
    expect([group.status, ((await group.json()) as { error: { code: string } }).error.code]).toEqual([400, 'BadSyntax']);
    const first = (await (await create([{ id: '29:u1' }])).json()) as { id: string };
    const second = (await (await create([{ id: '29:u1' }])).json()) as { id: string };
    expect(first.id).toMatch(/^a:/);
    expect(second.id).toBe(first.id);
  });
});
