import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService } from './tokens.js';
import { loadConfig } from '../config.js';
import { createTestServer, testJwtSecret, type TestServer } from '../test/harness.js';
import { makePartner, makeUser } from '../test/factories.js';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

/** Signs any header and payload with HS256 by hand, so tests can forge what jose would refuse to make. */
function forgeHs256(header: object, payload: object, secret: string | Buffer): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

function expectUnauthorized(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBe(401);
  expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
}

describe('JWT attacks against an HS256 server', () => {
  let server: TestServer;
  let user: { id: number; partnerId: number };
  let otherPartner: { id: number };
  const me = (token: string) => server.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
  const claims = () => ({ sub: String(user.id), partner_id: user.partnerId, role: 'partner_admin', exp: inAnHour() });

  beforeAll(async () => {
    server = await createTestServer({ env: { JWT_ISSUER: 'https://ic.test', JWT_AUDIENCE: 'integration-center' } });
    const partner = await makePartner(server.deps.db);
    otherPartner = await makePartner(server.deps.db);
    user = await makeUser(server.deps.db, partner.id, 'partner_admin');
  });
  afterAll(() => server.close());

  const valid = () => forgeHs256({ alg: 'HS256', typ: 'JWT' }, { ...claims(), iss: 'https://ic.test', aud: 'integration-center' }, testJwtSecret);

  it('accepts a well-formed token (control)', async () => {
    expect((await me(valid())).statusCode).toBe(200);
  });

  it('refuses no token and malformed Authorization headers', async () => {
    expectUnauthorized(await server.app.inject({ url: '/api/auth/me' }));
    for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', `Token ${valid()}`, 'Bearer not.a.jwt', `Bearer ${valid()}x`]) {
      expectUnauthorized(await server.app.inject({ url: '/api/auth/me', headers: { authorization: header } }));
    }
  });

  it('refuses alg "none"', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), iss: 'https://ic.test', aud: 'integration-center' })}.`;
    expectUnauthorized(await me(token));
  });

  it('refuses a token signed with another key', async () => {
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...claims(), iss: 'https://ic.test', aud: 'integration-center' }, 'another-secret-another-secret-another')));
  });

  it('refuses RS256 and ES256 tokens (no algorithm confusion)', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await new SignJWT({ ...claims() }).setProtectedHeader({ alg }).setIssuer('https://ic.test').setAudience('integration-center').sign(privateKey);
      expectUnauthorized(await me(token));
    }
  });

  it('refuses expired tokens and tokens without exp', async () => {
    const base = { ...claims(), iss: 'https://ic.test', aud: 'integration-center' };
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...base, exp: Math.floor(Date.now() / 1000) - 120 }, testJwtSecret)));
    const { exp: _exp, ...noExp } = base;
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, noExp, testJwtSecret)));
  });

  it('refuses a wrong issuer or audience', async () => {
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...claims(), iss: 'https://evil.test', aud: 'integration-center' }, testJwtSecret)));
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...claims(), iss: 'https://ic.test', aud: 'other-app' }, testJwtSecret)));
  });

  it('refuses tokens missing sub, partner_id or role, or with a bad role', async () => {
    const base = { ...claims(), iss: 'https://ic.test', aud: 'integration-center' };
    for (const key of ['sub', 'partner_id', 'role'] as const) {
      const { [key]: _dropped, ...rest } = base;
      expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, rest, testJwtSecret)));
    }
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...base, role: 'superadmin' }, testJwtSecret)));
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...base, sub: 'admin' }, testJwtSecret)));
  });

  it("refuses a valid signature naming another partner than the user's", async () => {
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...claims(), partner_id: otherPartner.id, iss: 'https://ic.test', aud: 'integration-center' }, testJwtSecret)));
  });

  it('refuses users that are unknown, disabled, or whose partner was deleted', async () => {
    const base = { ...claims(), iss: 'https://ic.test', aud: 'integration-center' };
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...base, sub: '987654' }, testJwtSecret)));

    const doomed = await makePartner(server.deps.db);
    const doomedUser = await makeUser(server.deps.db, doomed.id);
    const doomedToken = forgeHs256({ alg: 'HS256' }, { ...base, sub: String(doomedUser.id), partner_id: doomed.id }, testJwtSecret);
    expect((await me(doomedToken)).statusCode).toBe(200);
    await server.deps.db.pool.query('DELETE FROM partners WHERE id = $1', [doomed.id]);
    expectUnauthorized(await me(doomedToken));

    const disabled = await makeUser(server.deps.db, user.partnerId, 'partner_user', { disabled: true });
    expectUnauthorized(await me(forgeHs256({ alg: 'HS256' }, { ...base, sub: String(disabled.id), role: 'partner_user' }, testJwtSecret)));
  });

  it('answers the same over tRPC, with the error shape in data.error', async () => {
    const res = await server.app.inject({ url: '/trpc/auth.me', headers: { authorization: 'Bearer nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.data.error.code).toBe('UNAUTHORIZED');
  });
});

describe('JWT attacks against a JWKS (RS256/ES256) server', () => {
  let jwks: Server;
  let server: TestServer;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  let user: { id: number; partnerId: number };
  const me = (token: string) => server.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const port = (jwks.address() as AddressInfo).port;
    server = await createTestServer({ env: { JWT_SECRET: '', JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'integration-center' } });
    const partner = await makePartner(server.deps.db);
    user = await makeUser(server.deps.db, partner.id, 'partner_user');
  });
  afterAll(async () => {
    await server.close();
    jwks.close();
  });

  const claims = () => ({ partner_id: user.partnerId, role: 'partner_user' });
  const sign = (key: CryptoKey, alg: 'RS256' | 'ES256', kid: string) =>
    new SignJWT(claims()).setProtectedHeader({ alg, kid }).setSubject(String(user.id)).setIssuer('https://idp.test').setAudience('integration-center').setExpirationTime('10m').sign(key);

  it('accepts RS256 and ES256 tokens from the identity provider', async () => {
    expect((await me(await sign(rsa.privateKey, 'RS256', 'rsa-1'))).statusCode).toBe(200);
    expect((await me(await sign(ec.privateKey, 'ES256', 'ec-1'))).statusCode).toBe(200);
  });

  it('refuses HS256 signed with the public key (HS/RS confusion)', async () => {
    const pem = await exportSPKI(rsa.publicKey);
    const token = forgeHs256({ alg: 'HS256', kid: 'rsa-1' }, { ...claims(), sub: String(user.id), exp: inAnHour() }, pem);
    expectUnauthorized(await me(token));
  });

  it('refuses a token the identity provider signed for another application or issuer (issue 20 §7.8)', async () => {
    const other = (iss: string, aud: string) =>
      new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setSubject(String(user.id)).setIssuer(iss).setAudience(aud).setExpirationTime('10m').sign(rsa.privateKey);
    expectUnauthorized(await me(await other('https://idp.test', 'another-app')));
    expectUnauthorized(await me(await other('https://elsewhere.test', 'integration-center')));
    expectUnauthorized(await me(await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' }).setSubject(String(user.id)).setExpirationTime('10m').sign(rsa.privateKey)));
  });

  it('refuses a token signed by a key not in the set', async () => {
    const stranger = await generateKeyPair('RS256');
    expectUnauthorized(await me(await sign(stranger.privateKey, 'RS256', 'rsa-1')));
  });

  it('does not offer password login, since it cannot mint tokens', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.test', password: 'x' } });
    expect(res.statusCode).toBe(404);
    expect(createTokenService(loadConfig({ JWT_JWKS_URL: 'https://idp.test/jwks', JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'ic' }).jwt).canSign).toBe(false);
  });
});

describe('the brief cache of token users (AUTH_CACHE_TTL)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({ env: { AUTH_CACHE_TTL: '300ms' } });
  });
  afterAll(() => server.close());

  it('refuses a disabled user once the cache lifetime has passed', async () => {
    const partner = await makePartner(server.deps.db);
    const user = await makeUser(server.deps.db, partner.id, 'partner_admin');
    const token = await server.tokenFor(user);
    const me = () => server.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect((await me()).statusCode).toBe(200);
    await server.deps.db.pool.query('UPDATE users SET disabled = true WHERE id = $1', [user.id]);
    const disabledAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - disabledAt < 5_000) {
      status = (await me()).statusCode;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expectUnauthorized(await me());
    // Refused within the lifetime (plus scheduling slack), not whenever the token expires.
    expect(Date.now() - disabledAt).toBeLessThan(2_000);
  });
});

describe('JWT_MAX_LIFETIME (issue 20 §7.8)', () => {
  const config = (env: Record<string, string>) => loadConfig({ JWT_SECRET: testJwtSecret, ...env }).jwt;
  const forge = (payload: object) => forgeHs256({ alg: 'HS256', typ: 'JWT' }, { sub: '7', partner_id: 3, role: 'partner_user', ...payload }, testJwtSecret);
  const now = () => Math.floor(Date.now() / 1000);

  it('refuses tokens minted to live longer than the maximum, and tokens without iat, once it is set', async () => {
    const capped = createTokenService(config({ JWT_MAX_LIFETIME: '1h', JWT_TTL: '30m' }));
    await expect(capped.verify(forge({ iat: now(), exp: now() + 3_000 }))).resolves.toMatchObject({ userId: 7 });
    await expect(capped.verify(forge({ iat: now(), exp: now() + 30 * 86_400 }))).rejects.toThrow('token invalid');
    await expect(capped.verify(forge({ exp: now() + 600 }))).rejects.toThrow('token invalid');
    // Its own tokens fit; a longer one is not minted at all.
    await expect(capped.verify((await capped.sign({ userId: 7, partnerId: 3, role: 'partner_user' })).token)).resolves.toMatchObject({ partnerId: 3 });
    await expect(capped.sign({ userId: 7, partnerId: 3, role: 'partner_user' }, 2 * 3_600_000)).rejects.toThrow(/JWT_MAX_LIFETIME/);
  });

  it('sets no maximum by default', async () => {
    const open = createTokenService(config({}));
    await expect(open.verify(forge({ exp: now() + 30 * 86_400 }))).resolves.toMatchObject({ userId: 7 });
  });

  it('refuses a JWT_TTL longer than JWT_MAX_LIFETIME, and JWT_JWKS_URL without issuer and audience', () => {
    expect(() => loadConfig({ JWT_TTL: '8h', JWT_MAX_LIFETIME: '1h' })).toThrow(/JWT_TTL: must not be longer than JWT_MAX_LIFETIME/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'https://idp.test/jwks' })).toThrow(/JWT_ISSUER: required with JWT_JWKS_URL[\s\S]*JWT_AUDIENCE: required with JWT_JWKS_URL/);
  });
});
