import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { ConsentCompleteInput, ConsentResult, ConsentStartInput, ConsentStartOutput } from '../../../shared/integrations/oauth.js';
import { insertAuditLog } from '../../db/auditLogs.js';
import { insertPending, takePending } from '../../db/oauthConnections.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import { tokenRequestTimeoutMs } from '../../integrations/oauth2/memoryTokenSource.js';
import { mappingLookup } from '../clients/mappings.js';
import { actorFor } from '../integrations/actor.js';
import type { Principal } from '../principal.js';
import { load, s256, sha256hex, signInLifetimeMs } from './connect.js';
import { grantFingerprint } from './tokens.js';

type Loaded = Awaited<ReturnType<typeof load>>;

function consentStep(loaded: Loaded) {
  const step = loaded.integration.plugin.auth?.adminConsent;
  if (!step) throw new AppError('CONFLICT', `${loaded.integration.entry.name} has no admin consent per organization`);
  return step;
}

/**
 * The organization as this partner mapped it, or 404: consent is asked only for the partner's own
 * mapped organizations (a Microsoft 365 tenant that is not its customer is never reached).
 */
async function mappedOrganization(deps: AppDeps, partnerId: number, key: string, organizationKey: string): Promise<string> {
  const wanted = organizationKey.toLowerCase();
  const found = (await mappingLookup(deps.db).getIntegrationMappings(partnerId, key)).find((m) => m.externalOrgId.toLowerCase() === wanted);
  if (!found) throw new AppError('NOT_FOUND', `${organizationKey} is not an organization mapped to one of your clients`);
  return found.externalOrgId;
}

/**
 * Starts an admin consent in one mapped organization: a random state, kept as its hash for ten
 * minutes in the same table as sign-ins (bound to this user, the organization, the loopback
 * redirect and a PKCE challenge, so only this desktop can complete it), and the vendor's page.
 */
export async function startConsent(deps: AppDeps, principal: Principal, input: ConsentStartInput): Promise<ConsentStartOutput> {
  const loaded = await load(deps, principal.partnerId, input.key);
  const step = consentStep(loaded);
  const organizationKey = await mappedOrganization(deps, principal.partnerId, input.key, input.organizationKey);
  const grant = loaded.integration.plugin.auth?.grant(loaded.settings, deps.config, organizationKey);
  if (!grant || 'problem' in grant) throw new AppError('CONFLICT', grant?.problem ?? 'This integration does not use OAuth2');
  const state = randomBytes(32).toString('base64url');
  const url = step.url(loaded.settings, deps.config, organizationKey, input.redirectUri, state);
  if ('problem' in url) throw new AppError('CONFLICT', url.problem);
  const expiresAt = new Date(Date.now() + signInLifetimeMs);
  await withPartner(deps.db, principal.partnerId, (tx) =>
    insertPending(tx, principal.partnerId, sha256hex(state), {
      integrationKey: input.key,
      organizationKey,
      userId: principal.userId,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      scopesRequested: grant.token.scopes,
      fingerprint: grantFingerprint(grant),
      expiresAt,
    }),
  );
  return { consentUrl: url.href, state, expiresAt: expiresAt.toISOString() };
}

const refused = (message: string) => new AppError('BAD_REQUEST', message);

/**
 * Completes an admin consent: the state is taken once and checked (user, integration, time,
 * PKCE, the organization the vendor says it returned from); a wrong one is refused before anything
 * is stored. Then the consent is re-checked the only way that counts: that organization is asked
 * for a token now. Whatever the redirect claimed, the answer is the token endpoint's.
 */
export async function completeConsent(deps: AppDeps, principal: Principal, input: ConsentCompleteInput): Promise<ConsentResult> {
  const { partnerId } = principal;
  const pending = await withPartner(deps.db, partnerId, (tx) => takePending(tx, partnerId, sha256hex(input.state)));
  if (!pending || pending.organizationKey === '') throw refused('This consent is unknown, already completed or expired: start it again');
  if (pending.integrationKey !== input.key || pending.userId !== principal.userId) throw refused('This consent was started for another integration or person: start it again');
  if (pending.expiresAt.getTime() < Date.now()) throw refused('This consent took longer than 10 minutes and expired: start it again');
  const expected = Buffer.from(pending.codeChallenge);
  const actual = Buffer.from(s256(input.codeVerifier));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw refused('The consent could not be verified (PKCE verifier mismatch): start it again');
  const organizationKey = pending.organizationKey;
  if (input.tenant && input.tenant.toLowerCase() !== organizationKey.toLowerCase()) throw refused(`The consent came back from another organization than ${organizationKey}: start it again`);

  const loaded = await load(deps, partnerId, input.key);
  const step = consentStep(loaded);
  const source = deps.oauth.source(loaded.integration, partnerId, loaded.settings, organizationKey);
  if (!source) throw new AppError('CONFLICT', 'This integration does not use OAuth2');
  const scope = { partnerId, integrationKey: input.key, kind: 'health', actionId: 'oauth.consent', userId: principal.userId, recorder: deps.interactionLog } as const;
  let result: ConsentResult;
  try {
    await withInteraction(scope, () => source.accessToken({ signal: AbortSignal.timeout(tokenRequestTimeoutMs) }));
    result = { organizationKey, consented: true, reason: null };
  } catch (error) {
    const said = input.error ? ` (the consent page said: ${input.error})` : '';
    result = { organizationKey, consented: false, reason: `${step.explain(error)}${said}` };
  }
  if (result.consented) {
    const actor = actorFor(principal);
    await withPartner(deps.db, partnerId, (tx) =>
      insertAuditLog(tx, partnerId, { integrationKey: input.key, action: 'connected', userId: actor.userId, actor: actor.actor, details: { message: `Admin consent confirmed in ${organizationKey}` } }),
    );
  }
  return result;
}
