import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { ConnectionView, OAuthCompleteInput, OAuthStartInput, OAuthStartOutput } from '../../../shared/integrations/oauth.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { deleteConnections, findConnection, insertPending, takePending } from '../../db/oauthConnections.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { startBudget } from '../../integrations/http/budget.js';
import { VendorError } from '../../integrations/http/errors.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import { tokenRequestTimeoutMs } from '../../integrations/oauth2/memoryTokenSource.js';
import { requestToken, type TokenResponse } from '../../integrations/oauth2/tokenRequest.js';
import { TokenRequestError, type AuthorizationCodeGrant, type OAuth2Grant } from '../../integrations/oauth2/types.js';
import type { RegisteredIntegration } from '../../integrations/registeredIntegration.js';
import type { PluginSettings } from '../../integrations/types.js';
import { actorFor } from '../integrations/actor.js';
import { notConfiguredError, readConfig, requireIntegration } from '../integrations/lookup.js';
import { pluginSettings } from '../integrations/settings.js';
import { testIntegration } from '../integrations/testConnection.js';
import type { Principal } from '../principal.js';
import { grantFingerprint } from './tokens.js';

/** How long a sign-in may take between "Connect" and the code's return. */
export const signInLifetimeMs = 10 * 60_000;

export const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

interface Loaded {
  integration: RegisteredIntegration;
  settings: PluginSettings;
  grant: OAuth2Grant | { problem: string };
}

/** The integration, its decrypted settings and the grant they make; errors a person can act on. */
export async function load(deps: AppDeps, partnerId: number, key: string): Promise<Loaded> {
  const integration = requireIntegration(deps.registry, key);
  const auth = integration.plugin.auth;
  if (!auth) throw new AppError('CONFLICT', `${integration.entry.name} does not use OAuth2: its settings hold its credentials`);
  const row = await readConfig(deps.db, partnerId, key);
  if (!row) throw notConfiguredError();
  let settings: PluginSettings;
  try {
    settings = pluginSettings(deps.secrets, integration, partnerId, row.settings);
  } catch {
    throw new AppError('CONFLICT', 'The stored credentials could not be decrypted on this server');
  }
  return { integration, settings, grant: auth.grant(settings, deps.config) };
}

function authorizationGrant(loaded: Loaded): AuthorizationCodeGrant {
  const { grant, integration } = loaded;
  if ('problem' in grant) throw new AppError('CONFLICT', grant.problem);
  if (grant.kind !== 'oauth2AuthorizationCode') {
    throw new AppError('CONFLICT', `${integration.entry.name} is set to use client credentials: the server gets its tokens itself, no sign-in is needed`);
  }
  return grant;
}

/** The connection as the desktop shows it (never a token). */
export async function connectionView(deps: AppDeps, principal: Principal, key: string): Promise<ConnectionView> {
  const loaded = await load(deps, principal.partnerId, key);
  const { grant } = loaded;
  const row = await readAsPartner(deps.db, principal.partnerId, (q) => findConnection(q, { partnerId: principal.partnerId, integrationKey: key, organizationKey: '' }));
  const problem = 'problem' in grant ? grant.problem : null;
  const kind = 'problem' in grant ? (loaded.integration.plugin.auth?.grants[0] ?? 'oauth2ClientCredentials') : grant.kind;
  const requested = 'problem' in grant ? [] : grant.token.scopes;
  const current = !('problem' in grant) && row?.fingerprint === grantFingerprint(grant);
  let state: ConnectionView['state'] = 'not_connected';
  if (row && row.status === 'disconnected') state = 'disconnected';
  else if (row && current && row.status === 'reconnect_needed') state = 'reconnect_needed';
  else if (row && current && row.connectedAt) state = 'connected';
  else if (row && !current && kind === 'oauth2AuthorizationCode' && row.connectedAt) state = 'reconnect_needed';
  return {
    grant: kind,
    state,
    scopesRequested: requested,
    scopesGranted: row && current ? row.scopesGranted : [],
    connectedAt: row?.connectedAt?.toISOString() ?? null,
    expiresAt: row && current && row.expiresAt ? row.expiresAt.toISOString() : null,
    refusals: row?.refusals ?? 0,
    lastError: row?.lastError ?? null,
    problem,
  };
}

/**
 * Starts a desktop sign-in: a random `state` (kept as its hash for ten minutes, bound to this
 * user, the loopback redirect and the PKCE challenge) and the vendor's authorize URL to open.
 */
export async function startSignIn(deps: AppDeps, principal: Principal, input: OAuthStartInput): Promise<OAuthStartOutput> {
  const loaded = await load(deps, principal.partnerId, input.key);
  const grant = authorizationGrant(loaded);
  const state = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + signInLifetimeMs);
  await withPartner(deps.db, principal.partnerId, (tx) =>
    insertPending(tx, principal.partnerId, sha256hex(state), {
      integrationKey: input.key,
      organizationKey: '',
      userId: principal.userId,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      scopesRequested: grant.token.scopes,
      fingerprint: grantFingerprint(grant),
      expiresAt,
    }),
  );
  const url = new URL(grant.authorizeUrl);
  const params = {
    response_type: 'code',
    client_id: grant.token.clientId,
    redirect_uri: input.redirectUri,
    scope: grant.token.scopes.join(' '),
    state,
    code_challenge: input.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { authorizeUrl: url.toString(), state, scopesRequested: grant.token.scopes, expiresAt: expiresAt.toISOString() };
}

const refused = (message: string) => new AppError('BAD_REQUEST', message);

/**
 * Completes a sign-in: the state is taken (once: a second completion, or a replayed code, finds
 * nothing), checked against this user, integration, time and PKCE verifier, then the server
 * exchanges the code with the client secret the desktop never sees. Nothing is stored unless the
 * vendor answers with a token.
 */
export async function completeSignIn(deps: AppDeps, principal: Principal, input: OAuthCompleteInput): Promise<ConnectionView> {
  const { partnerId } = principal;
  const pending = await withPartner(deps.db, partnerId, (tx) => takePending(tx, partnerId, sha256hex(input.state)));
  if (!pending) throw refused('This sign-in is unknown, already completed or expired: press Connect to start again');
  if (pending.integrationKey !== input.key || pending.userId !== principal.userId) throw refused('This sign-in was started for another integration or person: press Connect to start again');
  if (pending.expiresAt.getTime() < Date.now()) throw refused('This sign-in took longer than 10 minutes and expired: press Connect to start again');
  const expected = Buffer.from(pending.codeChallenge);
  const actual = Buffer.from(s256(input.codeVerifier));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw refused('The sign-in could not be verified (PKCE verifier mismatch): press Connect to start again');

  const loaded = await load(deps, partnerId, input.key);
  const grant = authorizationGrant(loaded);
  if (grantFingerprint(grant) !== pending.fingerprint) throw new AppError('CONFLICT', 'The settings changed during the sign-in: press Connect to start again');
  const auth = loaded.integration.plugin.auth;
  if (!auth) throw new AppError('CONFLICT', 'This integration does not use OAuth2');
  const vendor = loaded.integration.entry.name;

  let res: TokenResponse;
  const scope = { partnerId, integrationKey: input.key, kind: 'health', actionId: 'oauth.connect', userId: principal.userId, recorder: deps.interactionLog } as const;
  try {
    res = await withInteraction(scope, () =>
      requestToken(
        auth.http,
        grant.token,
        { grant_type: 'authorization_code', code: input.code, redirect_uri: pending.redirectUri, code_verifier: input.codeVerifier },
        { budget: startBudget(AbortSignal.timeout(tokenRequestTimeoutMs), tokenRequestTimeoutMs), log: deps.log },
      ),
    );
  } catch (error) {
    if (error instanceof TokenRequestError) throw refused(`${vendor} refused the sign-in (${error.error}${error.description ? `: ${error.description}` : ''}): press Connect to try again`);
    if (error instanceof VendorError) throw new AppError('UNAVAILABLE', `${vendor} could not be reached to finish the sign-in (${error.kind}): try again`);
    throw error;
  }
  const ref = { partnerId, integrationKey: input.key, organizationKey: '' };
  await deps.oauth.saveSignIn(ref, grant, res, principal.userId);
  const actor = actorFor(principal);
  await withPartner(deps.db, partnerId, (tx) =>
    insertAuditLog(tx, partnerId, { integrationKey: input.key, action: 'connected', userId: actor.userId, actor: actor.actor, details: { scopes: res.scopes } }),
  );
  // The integration's status follows at once (an Error "not connected" turns Active) rather than
  // at the next scheduled check; the check's own outcome is its business, not the sign-in's.
  await testIntegration(deps, partnerId, actor, { key: input.key }).catch((error: unknown) => {
    deps.log.warn({ integration: input.key, partnerId, errorType: error instanceof Error ? error.name : typeof error }, 'health check after sign-in failed');
  });
  return connectionView(deps, principal, input.key);
}

/** Forgets the connection's tokens (the vendor's grant stays until revoked there). */
export async function disconnect(deps: AppDeps, principal: Principal, key: string): Promise<ConnectionView> {
  const integration = requireIntegration(deps.registry, key);
  if (!integration.plugin.auth) throw new AppError('CONFLICT', `${integration.entry.name} does not use OAuth2`);
  const { partnerId } = principal;
  const actor = actorFor(principal);
  await withPartner(deps.db, partnerId, async (tx) => {
    const removed = await deleteConnections(tx, partnerId, key);
    if (removed > 0) await insertAuditLog(tx, partnerId, { integrationKey: key, action: 'disconnected', userId: actor.userId, actor: actor.actor, details: {} });
  });
  return connectionView(deps, principal, key);
}
