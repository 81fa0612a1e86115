import { randomBytes } from 'node:crypto';
import { VendorError } from '../http/errors.js';
import { OAuthConnectionError, TokenRequestError } from '../oauth2/types.js';
import { adminConsentUrl, type M365Hosts } from './settings.js';

/**
 * Whether the app can get a token in a tenant, and why not, from the token endpoint's AADSTS
 * code [H: entra reference-error-codes.md, §1.6]. Microsoft warns the numbers and texts change:
 * the OAuth `error` decides the secret cases first, the code only words the reason.
 */
export const consentStates = ['consented', 'not_consented', 'app_missing', 'gdap_not_authorized', 'secret_invalid', 'secret_expired', 'blocked_by_ca', 'tenant_unknown', 'refused', 'unreachable'] as const;
export type ConsentState = (typeof consentStates)[number];

export interface Consent {
  state: ConsentState;
  /** Plain words; null when consented. */
  reason: string | null;
  /** The AADSTS code Microsoft gave, when it gave one. */
  code: string | null;
}

const words: Record<Exclude<ConsentState, 'consented'>, string> = {
  not_consented: 'consent missing: no administrator of this tenant has consented to the app',
  app_missing: 'consent missing: the app is not in this tenant (never consented there, or removed)',
  gdap_not_authorized: 'consent missing: the app is not authorized for partner delegated admins in this tenant (consent in the tenant, or through Partner Center)',
  secret_invalid: 'client secret invalid: paste the secret Value (not its Secret ID) of the app registration',
  secret_expired: 'client secret expired: create a new client secret for the app registration and save it here',
  blocked_by_ca: 'blocked by a Conditional Access policy of this tenant',
  tenant_unknown: 'tenant unknown: Microsoft has no such tenant',
  refused: 'Microsoft refused a token for this tenant',
  unreachable: 'Microsoft could not be reached for this tenant',
};

/** The app itself is refused (every tenant fails alike): health Error, not a per-tenant problem. */
export const appRefused = (c: Consent) => c.state === 'secret_invalid' || c.state === 'secret_expired';

export const consented: Consent = { state: 'consented', reason: null, code: null };

export function consentFromError(error: unknown): Consent {
  if (error instanceof TokenRequestError) {
    const code = /AADSTS(\d+)/.exec(error.description ?? '')?.[1] ?? null;
    const state = ((): Exclude<ConsentState, 'consented'> => {
      if (code === '7000222') return 'secret_expired';
      if (code === '7000215' || error.error === 'invalid_client') return 'secret_invalid';
      if (code === '65001' || code === '90094') return 'not_consented';
      if (code === '700016' || code === '500011') return 'app_missing';
      if (code === '90099') return 'gdap_not_authorized';
      if (code === '53003') return 'blocked_by_ca';
      if (code === '90002' || code === '900023') return 'tenant_unknown';
      return 'refused';
    })();
    const suffix = code ? ` (AADSTS${code})` : ` (${error.error})`;
    return { state, reason: `${words[state]}${suffix}`, code: code ? `AADSTS${code}` : null };
  }
  if (error instanceof OAuthConnectionError) return { state: 'refused', reason: error.message, code: null };
  const kind = error instanceof VendorError ? ` (${error.kind})` : '';
  return { state: 'unreachable', reason: `${words.unreachable}${kind}`, code: null };
}

/** Whether the partner can fix it with the tenant's admin-consent link. */
export const needsConsent = (c: Consent) => c.state === 'not_consented' || c.state === 'app_missing' || c.state === 'gdap_not_authorized';

/**
 * Microsoft's admin-consent link for one tenant, to send to that tenant's administrator. It returns
 * to the same loopback address the desktop's consent (oauth.consentStart) uses, so one redirect URI
 * on the app registration serves both (Entra ignores the port of a loopback address). Its state is
 * random and nothing is stored from its return: consent is re-checked by asking that tenant for a
 * token (the next check, or running the tenant list again).
 */
export const consentLink = (hosts: M365Hosts, tenant: string, appId: string) =>
  adminConsentUrl(hosts, tenant, appId, loopbackRedirect, randomBytes(16).toString('base64url')).href;

/** The redirect URI the partner registers on the app (`http://127.0.0.1/callback`, any port). */
export const loopbackRedirect = 'http://127.0.0.1/callback';
