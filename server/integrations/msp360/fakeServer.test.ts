import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/logCapture.js';
import { startBudget } from '../http/budget.js';
import { createVendorClient } from '../http/vendorClient.js';
import { createMsp360Api } from './client.js';
import { msp360Examples } from './examples.js';
import { startFakeMsp360, type FakeMsp360 } from './fakeServer.js';

let fake: FakeMsp360;
const password = 'fake-msp-password';

beforeAll(async () => {
  fake = await startFakeMsp360({ tokenTtlSeconds: 3600 });
  fake.addAccount({ login: 'acme-api', password, computers: 12 });
});
afterAll(async () => {
  await fake.close();
});

async function call(method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}) {
  const res = await request(`${fake.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> & unknown[] };
}

describe('fake MSP360', () => {
  it('logs in with {UserName, Password} and answers OAuth-style; routes ignore case', async () => {
    const login = await call('POST', '/api/provider/login', { body: { UserName: 'acme-api', Password: password } });
    expect(login.status).toBe(200);
    // The keys of MSP360's published answer, with this fake's token and lifetime.
    expect(Object.keys(login.json).sort()).toEqual(Object.keys(msp360Examples.login).sort());
    expect(login.json).toMatchObject({ token_type: 'bearer', expires_in: 3600, userName: 'acme-api' });
    const companies = await call('GET', '/API/Companies', { token: login.json.access_token as string });
    expect(companies.status).toBe(200);
    expect(Object.keys(companies.json[0] as object).sort()).toEqual(Object.keys(msp360Examples.companies[0]).sort());
    expect(companies.json[0]).toMatchObject({ Id: expect.any(String), Name: 'Company 1' });
  });

  it('refuses bad logins with the documented 400 invalid_grant, malformed ones with 400, unknown paths as documented', async () => {
    expect(await call('POST', '/api/Provider/Login', { body: { UserName: 'acme-api', Password: 'wrong-one' } })).toEqual({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'The user name or password is incorrect.' },
    });
    expect(await call('GET', '/api/Prrovider/Login')).toEqual({
      status: 404,
      json: { Message: "No HTTP resource was found that matches the request URI 'https://api.mspbackups.com/api/Prrovider/Login'." },
    });
    expect((await call('POST', '/api/Provider/Login', { body: { UserName: 'acme-api', Password: 'x' } })).status).toBe(400);
    expect(await call('GET', '/api/Users', { token: 'not-a-token' })).toEqual({ status: 401, json: { Message: 'Authorization has been denied for this request.' } });
  });

  it('expires tokens on demand', async () => {
    const login = await call('POST', '/api/Provider/Login', { body: { UserName: 'acme-api', Password: password } });
    const token = login.json.access_token as string;
    expect((await call('GET', '/api/Users', { token })).status).toBe(200);
    fake.expireTokens('acme-api');
    expect((await call('GET', '/api/Users', { token })).status).toBe(401);
  });

  it('pages computers by offset and count, read through the client', async () => {
    const http = createVendorClient({ vendor: 'MSP360', rateLimit: { perMinute: 600, burst: 10 } });
    const api = createMsp360Api(http);
    const ctx = { baseUrl: new URL(fake.baseUrl), account: 'acme-api', budget: startBudget(new AbortController().signal, 5_000), log: captureLogs().log, secrets: [password] };
    const session = await api.login(ctx, 'acme-api', password);
    const pages = [await api.computers(ctx, session.token, 0, 5), await api.computers(ctx, session.token, 5, 5), await api.computers(ctx, session.token, 10, 5)];
    expect(pages.map((p) => p.computers.map((c) => c.ComputerName))).toEqual([
      ['PC-1', 'PC-2', 'PC-3', 'PC-4', 'PC-5'],
      ['PC-6', 'PC-7', 'PC-8', 'PC-9', 'PC-10'],
      ['PC-11', 'PC-12'],
    ]);
    expect(fake.requestCount({ path: '/api/Computers', tenant: 'acme-api' })).toBe(3);
    await http.close();
  });
});

describe('fake MSP360 Monitoring (issue 15)', () => {
  it('lists the latest run of each plan with the fields MSP360 documents, Status as the enum index', async () => {
    const login = await call('POST', '/api/Provider/Login', { body: { UserName: 'acme-api', Password: password } });
    const rows = (await call('GET', '/api/monitoring', { token: login.json.access_token as string })).json as unknown as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
      ['PlanName', 'PlanId', 'PlanType', 'CompanyName', 'UserName', 'UserID', 'ComputerName', 'BuildVersion', 'StorageType', 'LastStart', 'NextStart', 'Status', 'ErrorMessage', 'FilesCopied', 'FilesFailed', 'DataCopied', 'Duration', 'DataToBackup', 'TotalData', 'FilesScanned', 'FilesToBackup', 'DetailedReportLink'].sort(),
    );
    expect(rows[0]).toMatchObject({ CompanyName: 'Company 1', Status: 0, LastStart: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) });
  });
});
