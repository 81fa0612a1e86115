import type { FieldSpec } from '../../../shared/integrations/fields.js';

/**
 * Huntress settings (vendor-apis.md §5). The API key pair is generated at
 * `<account_subdomain>.huntress.io` (API Credentials); the private key is shown once [H: HUN-OAS].
 * Requests authenticate with HTTP Basic `base64(<api_key>:<api_secret>)` [H: HUN-OAS].
 */

/** One DNS label: the account's subdomain, used only to build links into `<subdomain>.huntress.io`. */
export const subdomainRegex = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$';
const subdomainRe = new RegExp(subdomainRegex);

/**
 * A key is one printable word without a colon: HTTP Basic splits user and password at the first
 * colon, so a colon in the public key would send Huntress a different key.
 */
export const apiKeyRegex = '^[\\x21-\\x39\\x3b-\\x7e]+$';
const apiKeyRe = new RegExp(apiKeyRegex);
/** The secret is the Basic password: any printable word (a colon is fine after the first one). */
export const apiSecretRegex = '^[\\x21-\\x7e]+$';
const apiSecretRe = new RegExp(apiSecretRegex);

/**
 * Which kind of key the partner pasted. Huntress has no call that reads a key's permissions, and
 * its API document says "the default account API key is read-only, so you'll need to create a
 * user-based API key with the appropriate permissions" to resolve incident reports [H: HUN-OAS,
 * `POST /v1/incident_reports/{id}/resolution`]. So the partner says which it is, and the resolve
 * action is unavailable with an account key, saying why.
 */
export const keyTypes = { account: 'account', user: 'user' } as const;
export type HuntressKeyType = (typeof keyTypes)[keyof typeof keyTypes];

export const huntressFields: FieldSpec[] = [
  {
    key: 'subdomain',
    label: 'Account subdomain',
    kind: 'Text',
    required: true,
    maxLength: 63,
    placeholder: 'northwind',
    help: 'The name before .huntress.io in your Huntress address: northwind for https://northwind.huntress.io. Used for links into Huntress.',
    pattern: { regex: subdomainRegex, message: 'Enter only the subdomain (letters, digits and hyphens), e.g. northwind for northwind.huntress.io' },
  },
  {
    // The public half of the pair: it identifies the key and is not a secret on its own.
    key: 'api_key',
    label: 'API key',
    kind: 'Text',
    required: true,
    maxLength: 256,
    help: 'The public API key from Huntress › API Credentials.',
    pattern: { regex: apiKeyRegex, message: 'The API key is a single word without spaces or colons' },
  },
  {
    key: 'api_secret',
    label: 'API secret key',
    kind: 'Secret',
    required: true,
    maxLength: 256,
    help: 'The private key Huntress showed once when the key pair was generated.',
    pattern: { regex: apiSecretRegex, message: 'The API secret key is a single word without spaces' },
  },
  {
    key: 'key_type',
    label: 'Key type',
    kind: 'Select',
    required: true,
    help: "Huntress's default account key is read-only; resolving incident reports needs a user-based key with that permission.",
    options: [
      { value: keyTypes.account, label: 'Account API key (read-only)' },
      { value: keyTypes.user, label: 'User-based API key (can resolve incident reports)' },
    ],
  },
];

/** Why a subdomain cannot be used, in words a partner can act on; null when it is fine. */
export function subdomainProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'Account subdomain is required';
  const text = value.trim();
  if (/huntress\.io/i.test(text) || text.includes('://')) return 'Enter only the subdomain, e.g. northwind for https://northwind.huntress.io';
  if (/[./\\@:?#%]/.test(text)) return 'A subdomain is a single name without dots, slashes or other punctuation (e.g. northwind)';
  if (!subdomainRe.test(text)) return 'Use letters, digits and hyphens only, not starting or ending with a hyphen, at most 63 characters';
  return null;
}

/** Why a public key cannot be used; null when it is fine. */
export function apiKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API key is required';
  const text = value.trim();
  if (text.length > 256) return 'The API key is at most 256 characters';
  if (!apiKeyRe.test(text)) return 'The API key is a single word without spaces or colons';
  return null;
}

/** Why a secret cannot be used; null when it is fine. Never echoes the secret. */
export function apiSecretProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API secret key is required';
  const text = value.trim();
  if (text.length > 256) return 'The API secret key is at most 256 characters';
  if (!apiSecretRe.test(text)) return 'The API secret key is a single word without spaces';
  return null;
}

export function keyTypeProblem(value: unknown): string | null {
  if (value === keyTypes.account || value === keyTypes.user) return null;
  return 'Choose the key type: the account API key (read-only) or a user-based API key';
}

export class HuntressUrlError extends Error {
  override name = 'HuntressUrlError';
}

/**
 * The API root from HUNTRESS_BASE_URL (the host, without `/v1`): partner input never chooses the
 * host, only which account's key is sent to it.
 */
export function huntressApiBase(configured: string): URL {
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new HuntressUrlError('Server misconfiguration: HUNTRESS_BASE_URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new HuntressUrlError('Server misconfiguration: HUNTRESS_BASE_URL must be http(s)');
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

/** `base` + `/v1` + an API path (e.g. "/account") + query. */
export function huntressUrl(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base);
  // A bare origin's pathname is "/": without the slash, so the path is `/v1/…`, never `//v1/…`.
  url.pathname = `${base.pathname.replace(/\/+$/, '')}/v1${path}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}

/** A page in Huntress's web app for people: `https://<subdomain>.huntress.io/<path>`. */
export function huntressWebUrl(subdomain: string, path: string): string {
  return `https://${encodeURIComponent(subdomain.trim().toLowerCase())}.huntress.io${path}`;
}

/** The settings a call needs, checked; the problem otherwise (worded for the partner). */
export interface HuntressCredentials {
  subdomain: string;
  apiKey: string;
  apiSecret: string;
  keyType: HuntressKeyType;
}
export function readCredentials(settings: Record<string, unknown>): HuntressCredentials | { problem: string } {
  const problem = subdomainProblem(settings.subdomain) ?? apiKeyProblem(settings.api_key) ?? apiSecretProblem(settings.api_secret) ?? keyTypeProblem(settings.key_type);
  if (problem) return { problem };
  return {
    subdomain: String(settings.subdomain).trim().toLowerCase(),
    apiKey: String(settings.api_key).trim(),
    apiSecret: String(settings.api_secret).trim(),
    keyType: settings.key_type as HuntressKeyType,
  };
}
