import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLoginLimits } from '../deps.js';
import { createTestServer, type TestServer } from '../test/harness.js';
import { makePartner, makeUser } from '../test/factories.js';

describe('POST /api/auth/login', () => {
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  let disabled: Awaited<ReturnType<typeof makeUser>>;

  const login = (body: unknown, ip = '10.0.0.1') =>
    server.app.inject({ method: 'POST', url: '/api/auth/login', payload: body as object, remoteAddress: ip });

  beforeAll(async () => {
    server = await createTestServer({
      deps: { loginLimits: { perIp: { limit: 8, windowMs: 60_000 }, perAccountAddress: { limit: 3, windowMs: 60_000 } } },
    });
    const partner = await makePartner(server.deps.db, { name: 'Login Partner' });
    admin = await makeUser(server.deps.db, partner.id, 'partner_admin', { email: 'Admin@Login.test' });
    disabled = await makeUser(server.deps.db, partner.id, 'partner_user', { disabled: true });
  });
  afterAll(() => server.close());

  it('returns a token that authenticates, with the user and partner', async () => {
    const res = await login({ email: 'admin@login.test', password: admin.password }, '10.0.1.1');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ id: admin.id, email: 'admin@login.test', role: 'partner_admin', partnerName: 'Login Partner', isDev: false });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await server.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${body.token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().id).toBe(admin.id);
  });

  it('gives the same 401 for a wrong password and an unknown email', async () => {
    const wrong = await login({ email: admin.email, password: 'nope' }, '10.0.2.1');
    const unknown = await login({ email: 'nobody@login.test', password: 'nope' }, '10.0.2.2');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Email or password is incorrect' } });
  });

  it('refuses a disabled user', async () => {
    const res = await login({ email: disabled.email, password: disabled.password }, '10.0.3.1');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
    expect(res.json().token).toBeUndefined();
  });

  it('answers bad input with per-field messages', async () => {
    const res = await login({ email: 'not-an-email', password: '' }, '10.0.4.1');
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(error.fields).sort()).toEqual(['email', 'password']);
  });

  it('locks an account from the address that keeps failing, with Retry-After, and not its owner elsewhere', async () => {
    const victim = await makeUser(server.deps.db, admin.partnerId);
    for (let i = 0; i < 3; i++) {
      expect((await login({ email: victim.email, password: 'guess' }, '10.1.0.66')).statusCode).toBe(401);
    }
    const locked = await login({ email: victim.email, password: victim.password }, '10.1.0.66');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    // Issue 20 §7.5: the stranger's failures do not lock the owner out from their own address.
    expect((await login({ email: victim.email, password: victim.password }, '10.1.0.99')).statusCode).toBe(200);
  });

  it('does not count the right password of a disabled account as a failure', async () => {
    // Each attempt reserves a slot before the password check; this one must give it back.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login({ email: disabled.email, password: disabled.password }, `10.2.0.${i}`)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
  });

  it('deletes buckets whose window has ended, so made-up emails do not pile up', async () => {
    await login({ email: 'ghost-1@login.test', password: 'p' }, '10.3.0.1');
    await login({ email: 'ghost-2@login.test', password: 'p' }, '10.3.0.2');
    const buckets = async () =>
      (await server.deps.db.pool.query<{ bucket: string }>(`SELECT bucket FROM rate_limit_buckets WHERE bucket LIKE '%10.3.0.%' OR bucket LIKE '%ghost-%'`)).rows
        .map((r) => r.bucket)
        .sort();
    expect(await buckets()).toEqual(['login:account:ghost-1@login.test:ip:10.3.0.1', 'login:account:ghost-2@login.test:ip:10.3.0.2', 'login:ip:10.3.0.1', 'login:ip:10.3.0.2']);
    // An hour passes for ghost-1 and its address; ghost-2's window is still open.
    await server.deps.db.pool.query(
      `UPDATE rate_limit_buckets SET window_start = window_start - interval '1 hour', expires_at = expires_at - interval '1 hour'
        WHERE bucket IN ('login:account:ghost-1@login.test:ip:10.3.0.1', 'login:ip:10.3.0.1')`,
    );
    await login({ email: 'ghost-3@login.test', password: 'p' }, '10.3.0.3');
    expect(await buckets()).toEqual(['login:account:ghost-2@login.test:ip:10.3.0.2', 'login:account:ghost-3@login.test:ip:10.3.0.3', 'login:ip:10.3.0.2', 'login:ip:10.3.0.3']);
  });

  it('limits attempts per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await login({ email: `x${i}@login.test`, password: 'p' }, '10.9.9.9')).statusCode);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    // Another address is unaffected.
    expect((await login({ email: admin.email, password: admin.password }, '10.9.9.10')).statusCode).toBe(200);
  });

  it('never logs the password or the token', async () => {
    const password = admin.password;
    const res = await login({ email: admin.email, password }, '10.0.5.1');
    const { token } = res.json();
    const text = server.logs.text();
    expect(server.logs.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(password);
    expect(text).not.toContain(token);
  });
});

describe('POST /api/auth/login under parallel guessing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({ deps: { loginLimits: defaultLoginLimits } });
  });
  afterAll(() => server.close());

  it('lets at most the per-account limit of parallel guesses from one address reach the password check', async () => {
    const partner = await makePartner(server.deps.db);
    const victim = await makeUser(server.deps.db, partner.id);
    const limit = defaultLoginLimits.perAccountAddress.limit;
    // All in flight together from one address: while argon2 runs for the first ones, the rest
    // must already find the account's attempts from there used up.
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: victim.email, password: `guess-${i}` }, remoteAddress: '10.7.0.1' }),
      ),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25 - limit);
    for (const r of answers.filter((a) => a.statusCode === 429)) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // Locked there for the right password too, until the window ends; not from another address.
    const right = (ip: string) => server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: victim.email, password: victim.password }, remoteAddress: ip });
    expect((await right('10.7.0.1')).statusCode).toBe(429);
    expect((await right('10.7.1.1')).statusCode).toBe(200);
  });
});
