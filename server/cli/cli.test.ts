import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, testCredentialsKey, testEncryptionKeys, testJwtSecret, type TestServer } from '../test/harness.js';
import { runCli } from './run.js';

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run cli', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await createTestServer();
    env = { DATABASE_URL: server.database.url, JWT_SECRET: testJwtSecret, ENCRYPTION_KEYS: testEncryptionKeys, CREDENTIALS_KEY: testCredentialsKey, DATA_DIR: await mkdtemp(path.join(tmpdir(), 'ic-cli-')) };
  });
  afterAll(() => server.close());

  it('migrates (a no-op on a current database)', async () => {
    const res = await cli(['migrate'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.out)).toMatchObject({ migrated: true });
  });

  it('seeds the demo idempotently and its logins work', async () => {
    const first = await cli(['seed-demo'], env);
    expect(first.code).toBe(0);
    const seed = JSON.parse(first.out);
    expect(seed.partners.map((p: { name: string; isDev: boolean }) => [p.name, p.isDev])).toEqual([
      ['ACG', true],
      ['Northwind MSP', false],
      ['Contoso Managed IT', false],
    ]);
    expect(seed.users).toHaveLength(6);
    const second = JSON.parse((await cli(['seed-demo'], env)).out);
    expect(second).toEqual(seed);

    const admin = seed.users.find((u: { email: string }) => u.email === 'admin@northwind.example');
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: admin.email, password: admin.password } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user.partnerId).toBe(admin.partnerId);
  });

  it('mints a token the server accepts, by email or id, with a ttl', async () => {
    const byEmail = await cli(['token', '--user', 'tech@contoso.example', '--ttl', '5m'], env);
    expect(byEmail.code).toBe(0);
    const me = await server.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${byEmail.out}` } });
    expect(me.json()).toMatchObject({ email: 'tech@contoso.example', role: 'partner_user' });
    const exp = JSON.parse(Buffer.from(byEmail.out.split('.')[1] as string, 'base64url').toString()).exp;
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    const byId = await cli(['token', '--user', String(me.json().id)], env);
    expect(byId.code).toBe(0);
    expect((await cli(['token', '--user', 'ghost@nowhere.test'], env)).code).toBe(1);
  });

  it('creates partners and users', async () => {
    const partner = JSON.parse((await cli(['create-partner', '--name', 'Fabrikam'], env)).out);
    expect(partner).toMatchObject({ name: 'Fabrikam', isDev: false });
    const user = await cli(['create-user', '--partner', String(partner.id), '--email', 'ops@fabrikam.test', '--role', 'partner_admin'], env);
    expect(user.code).toBe(0);
    const { password } = JSON.parse(user.out);
    const login = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'ops@fabrikam.test', password } });
    expect(login.statusCode).toBe(200);
    expect((await cli(['create-user', '--partner', String(partner.id), '--email', 'ops@fabrikam.test', '--role', 'partner_admin'], env)).code).toBe(1);
  });

  it('creates clients with the rules of the API and an audit row naming the command line', async () => {
    const partner = JSON.parse((await cli(['create-partner', '--name', 'Client Partner'], env)).out);
    const made = await cli(['create-client', '--partner', String(partner.id), '--name', '  Dataforth Corp.  '], env);
    expect(made.code, made.err).toBe(0);
    const client = JSON.parse(made.out);
    expect(client).toMatchObject({ name: 'Dataforth Corp.', archived: false, partnerId: partner.id });
    const audit = await server.database.db.pool.query('SELECT partner_id, action, actor, after FROM client_audit_logs WHERE client_id = $1', [client.id]);
    expect(audit.rows).toEqual([{ partner_id: partner.id, action: 'client_created', actor: 'cli', after: { name: 'Dataforth Corp.', archived: false } }]);
    // The same name in another case is taken; an unknown partner is refused; bad input is usage.
    const taken = await cli(['create-client', '--partner', String(partner.id), '--name', 'DATAFORTH CORP.'], env);
    expect([taken.code, taken.err]).toEqual([1, 'A client named "DATAFORTH CORP." already exists']);
    expect((await cli(['create-client', '--partner', '999999', '--name', 'X'], env)).err).toBe('No partner 999999');
    for (const args of [['create-client', '--partner', 'x', '--name', 'X'], ['create-client', '--partner', '1', '--name', '   '], ['create-client', '--partner', '1']]) {
      expect((await cli(args, env)).code, args.join(' ')).toBe(2);
    }
  });

  it('prints usage and exits 2 on bad arguments', async () => {
    for (const args of [[], ['frobnicate'], ['token'], ['token', '--user', 'a', '--bogus'], ['token', '--user', 'a', '--ttl', 'soon'], ['create-user', '--partner', 'x', '--email', 'a@b.test', '--role', 'partner_admin'], ['create-user', '--partner', '1', '--email', 'a@b.test', '--role', 'god']]) {
      const res = await cli(args, env);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err).toMatch(/Usage: npm run cli -- /);
    }
  });
});
