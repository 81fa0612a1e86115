import type { FieldSpec } from '../../../shared/integrations/fields.js';

/**
 * Tactical RMM role permissions the integration uses, as the role editor names them (Settings ›
 * Permissions Manager), with the role field DRF checks behind each [M: TRMM accounts/models.py
 * `Role.can_*` fields and the views' permission classes; the labels are the editor's wording].
 * An API key acts as the user it belongs to, so the key can do what that user's role allows
 * (vendor-apis.md §4 "Auth").
 */
export const tacticalPermissions = {
  clients: 'List Clients',
  agents: 'List Agents',
  scripts: 'List Scripts',
  runScripts: 'Run Scripts',
  sendCommand: 'Send Command',
  reboot: 'Reboot Agents',
  alerts: 'List Alerts',
} as const;

/** An API key is one printable word (TRMM generates 32 upper-case letters and digits); whitespace means a bad paste. */
export const apiKeyRegex = '^[\\x21-\\x7e]+$';
const apiKeyRe = new RegExp(apiKeyRegex);

export const tacticalFields: FieldSpec[] = [
  {
    key: 'api_url',
    label: 'API URL',
    kind: 'Url',
    required: true,
    placeholder: 'https://api.example.com',
    help:
      'The address of your Tactical RMM API host (usually https://api.<your domain>), not the dashboard (rmm.<your domain>). ' +
      'It must use https and reach a public address; a private or loopback address (and plain http to one) is accepted only ' +
      'when this server runs with INTEGRATIONS_ALLOW_PRIVATE_NETWORK. Cloud metadata addresses are always refused.',
  },
  {
    key: 'api_key',
    label: 'API key',
    kind: 'Secret',
    required: true,
    maxLength: 256,
    help:
      `Create it in Tactical RMM under Settings › Global Settings › API Keys for a user whose role allows "${tacticalPermissions.clients}" ` +
      `and "${tacticalPermissions.agents}" (and, for the actions, the scripts, commands and reboots they run).`,
    pattern: { regex: apiKeyRegex, message: 'The API key is a single word without spaces' },
  },
];

/** Why an API key cannot be used; null when it is fine. Never echoes the key. */
export function apiKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API key is required';
  const text = value.trim();
  if (text.length > 256) return 'The API key is at most 256 characters';
  if (!apiKeyRe.test(text)) return 'The API key is a single word without spaces';
  return null;
}

export class TacticalUrlError extends Error {
  override name = 'TacticalUrlError';
}

/**
 * The API base as stored: scheme, host, port and any path prefix, without a trailing slash,
 * query or fragment. A path prefix is kept rather than refused: TRMM's own install has none
 * (vendor-apis.md §4), but a reverse proxy may publish the API under one, and keeping what the
 * partner typed is more honest than guessing which part to drop. Throws TacticalUrlError with
 * words for the partner.
 */
export function normalizeApiUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.trim() === '') throw new TacticalUrlError('API URL is required');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new TacticalUrlError('Enter the full address, e.g. https://api.example.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TacticalUrlError('The API URL must start with https://');
  if (url.username || url.password) throw new TacticalUrlError('The API URL may not hold a user name or password');
  if (url.search || url.hash) throw new TacticalUrlError('Enter only the address of the API host, without ? or # parts');
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** The URL as stored in the settings: `https://api.example.com` (no trailing slash). */
export const apiUrlText = (url: URL): string => `${url.origin}${url.pathname.replace(/\/+$/, '')}`;

/** Why the API URL cannot be used (syntax only; the address rules need the network: address.ts). */
export function apiUrlProblem(value: unknown): string | null {
  try {
    normalizeApiUrl(value);
    return null;
  } catch (error) {
    if (error instanceof TacticalUrlError) return error.message;
    throw error;
  }
}

/**
 * `base` + a Django route, always with its trailing slash: Django's routes end in `/` and a path
 * without one is a 404 or a 301 we would not follow (vendor-apis.md §4 [H: TRMM-DOC warning]).
 */
export function tacticalUrl(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base);
  const route = path.endsWith('/') ? path : `${path}/`;
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${route.startsWith('/') ? route : `/${route}`}`;
  url.search = '';
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}
