import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A generic OAuth2 authorization server on loopback, for the framework's own tests (the vendors'
 * fakes speak their vendor's dialect in their plugin folders). It follows RFC 6749 and RFC 7636:
 * `GET /authorize` answers at once with a 302 to the redirect URI (code + state, or
 * `error=access_denied`), `POST /token` takes client_credentials, authorization_code (PKCE S256,
 * single-use codes bound to client, redirect URI and challenge) and refresh_token, with
 * client_secret_post or client_secret_basic. Error bodies are RFC 6749 §5.2's.
 */
export interface FakeAuthorizationServer {
  readonly origin: string;
  /** Token requests received, by grant type. */
  readonly tokenRequests: Record<string, number>;
  /** Access tokens issued and still valid. */
  readonly issued: Set<string>;
  /** Seconds each new access token lasts (expires_in). */
  lifetimeSeconds: number;
  /** Waited before answering a token request (to make concurrent callers overlap). */
  tokenDelayMs: number;
  /** Every refresh is refused with 400 invalid_grant (a revoked grant). */
  revokeRefreshTokens: boolean;
  /** The next authorize request is denied by the "user". */
  denyNext: boolean;
  /** Calls of `GET /resource`, a protected resource answering 200 to a valid Bearer token, else 401. */
  resourceCalls: number;
  /** Bearer check for a protected resource: whether the token was issued here and is valid. */
  accepts(authorization: string | undefined): boolean;
  close(): Promise<void>;
}

export const fakeClient = { id: 'ic-test-client', secret: 'ic-test-secret-0123456789abcdef' };

export async function startFakeAuthorizationServer(options: { scopes?: string[] } = {}): Promise<FakeAuthorizationServer> {
  const granted = new Set(options.scopes ?? ['read', 'write', 'offline_access']);
  const codes = new Map<string, { redirectUri: string; challenge: string; scopes: string[] }>();
  const refreshTokens = new Map<string, string[]>();
  const tokenRequests: Record<string, number> = {};
  const issued = new Set<string>();

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const oauthError = (res: http.ServerResponse, status: number, error: string, description: string) => json(res, status, { error, error_description: description });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      void (async () => {
        if (req.method === 'GET' && url.pathname === '/authorize') {
          const q = url.searchParams;
          const redirect = q.get('redirect_uri') ?? '';
          if (q.get('client_id') !== fakeClient.id || !redirect.startsWith('http://127.0.0.1:')) return oauthError(res, 400, 'invalid_request', 'unknown client or redirect');
          if (q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return oauthError(res, 400, 'invalid_request', 'PKCE S256 required');
          const back = new URL(redirect);
          back.searchParams.set('state', q.get('state') ?? '');
          if (fake.denyNext) {
            fake.denyNext = false;
            back.searchParams.set('error', 'access_denied');
          } else {
            const code = randomBytes(16).toString('hex');
            codes.set(code, { redirectUri: redirect, challenge: q.get('code_challenge') ?? '', scopes: (q.get('scope') ?? '').split(' ').filter(Boolean) });
            back.searchParams.set('code', code);
          }
          res.writeHead(302, { location: back.toString() });
          return res.end();
        }
        if (req.method === 'POST' && url.pathname === '/token') {
          const form = new URLSearchParams(body);
          const grant = form.get('grant_type') ?? '';
          tokenRequests[grant] = (tokenRequests[grant] ?? 0) + 1;
          if (fake.tokenDelayMs) await sleep(fake.tokenDelayMs);
          let clientId = form.get('client_id');
          let secret = form.get('client_secret');
          const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
          if (basic) [clientId, secret] = Buffer.from(basic[1] as string, 'base64').toString().split(':').map(decodeURIComponent) as [string, string];
          if (clientId !== fakeClient.id || secret !== fakeClient.secret) return oauthError(res, 401, 'invalid_client', 'Client authentication failed');
          let scopes: string[];
          if (grant === 'client_credentials') {
            scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
            const missing = scopes.find((s) => !granted.has(s));
            if (missing) return oauthError(res, 400, 'invalid_scope', `The scope ${missing} is not granted to this client`);
          } else if (grant === 'authorization_code') {
            const code = codes.get(form.get('code') ?? '');
            codes.delete(form.get('code') ?? '');
            if (!code) return oauthError(res, 400, 'invalid_grant', 'The code is unknown or was already used');
            if (code.redirectUri !== form.get('redirect_uri')) return oauthError(res, 400, 'invalid_grant', 'redirect_uri does not match');
            const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
            if (challenge !== code.challenge) return oauthError(res, 400, 'invalid_grant', 'PKCE verification failed');
            scopes = code.scopes;
          } else if (grant === 'refresh_token') {
            const known = refreshTokens.get(form.get('refresh_token') ?? '');
            if (!known || fake.revokeRefreshTokens) return oauthError(res, 400, 'invalid_grant', 'The refresh token is invalid or revoked');
            scopes = known;
          } else {
            return oauthError(res, 400, 'unsupported_grant_type', `grant_type ${grant} is not supported`);
          }
          const access = randomBytes(16).toString('hex');
          issued.add(access);
          const answer: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: fake.lifetimeSeconds, scope: scopes.join(' ') };
          if (grant !== 'client_credentials' && scopes.includes('offline_access')) {
            const refresh = randomBytes(16).toString('hex');
            refreshTokens.set(refresh, scopes);
            answer.refresh_token = refresh;
          }
          return json(res, 200, answer);
        }
        if (req.method === 'GET' && url.pathname === '/resource') {
          fake.resourceCalls++;
          return fake.accepts(req.headers.authorization) ? json(res, 200, { ok: true }) : json(res, 401, { error: 'invalid_token' });
        }
        json(res, 404, { error: 'not_found' });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeAuthorizationServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tokenRequests,
    issued,
    resourceCalls: 0,
    lifetimeSeconds: 3600,
    tokenDelayMs: 0,
    revokeRefreshTokens: false,
    denyNext: false,
    accepts: (authorization) => issued.has(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? ''),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
