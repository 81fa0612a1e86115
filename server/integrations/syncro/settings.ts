import type { FieldSpec } from '../../../shared/integrations/fields.js';

/**
 * A Syncro subdomain is one DNS label: letters, digits and inner hyphens, at most 63 characters.
 * Upper case is accepted (host names are case-insensitive) and stored lower-cased.
 */
export const subdomainRegex = '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$';
const subdomainRe = new RegExp(subdomainRegex);

/** A token is one printable word; whitespace inside means a paste went wrong. */
export const apiTokenRegex = '^[\\x21-\\x7e]+$';
const apiTokenRe = new RegExp(apiTokenRegex);

/**
 * The Syncro API-token permissions this integration uses, spelled as Syncro's API reference
 * spells them ("Required permission: …" on each endpoint), so a health message and the field help
 * name exactly the box the partner has to tick under Admin › API Tokens.
 */
export const syncroPermissions = {
  customers: 'Customers - List/Search',
  tickets: 'Tickets - List/Search',
} as const;

/**
 * The permissions the actions need beyond reading lists (issue 15), as the published swagger
 * names them on each operation [H: SYN-SW26]: `GET /tickets/{id}` "Tickets - View Details",
 * `POST /tickets/{id}/comment` and `/attach_file_url` "Tickets - Edit", `POST
 * /tickets/{id}/timer_entry` "Ticket Timers - Overview". The health check cannot prove a write
 * permission without writing, so these are named when a write is refused instead.
 */
export const syncroActionPermissions = {
  ticketDetails: 'Tickets - View Details',
  ticketsEdit: 'Tickets - Edit',
  ticketTimers: 'Ticket Timers - Overview',
} as const;

export const syncroFields: FieldSpec[] = [
  {
    key: 'subdomain',
    label: 'Subdomain',
    kind: 'Text',
    required: true,
    maxLength: 63,
    placeholder: 'northwind',
    help: 'The name before .syncromsp.com in your Syncro address: northwind for https://northwind.syncromsp.com.',
    pattern: { regex: subdomainRegex, message: 'Enter only the subdomain (letters, digits and hyphens), e.g. northwind for northwind.syncromsp.com' },
  },
  {
    key: 'api_token',
    label: 'API token',
    kind: 'Secret',
    required: true,
    maxLength: 256,
    help: `Create it in Syncro under Admin › API › API Tokens with the permissions "${syncroPermissions.customers}" and "${syncroPermissions.tickets}".`,
    pattern: { regex: apiTokenRegex, message: 'The API token is a single word without spaces' },
  },
];

/** Why a subdomain cannot be used, in words a partner can act on; null when it is fine. */
export function subdomainProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'Subdomain is required';
  const text = value.trim();
  if (/syncromsp\.com/i.test(text) || text.includes('://')) {
    return 'Enter only the subdomain, e.g. northwind for https://northwind.syncromsp.com';
  }
  if (/[./\\@:?#%]/.test(text)) return 'A subdomain is a single name without dots, slashes or other punctuation (e.g. northwind)';
  if (!subdomainRe.test(text)) {
    return 'Use letters, digits and hyphens only, not starting or ending with a hyphen, at most 63 characters';
  }
  return null;
}

/** Why a token cannot be used; null when it is fine. Never echoes the token. */
export function apiTokenProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API token is required';
  const text = value.trim();
  if (text.length > 256) return 'The API token is at most 256 characters';
  if (!apiTokenRe.test(text)) return 'The API token is a single word without spaces';
  return null;
}

export class SyncroUrlError extends Error {
  override name = 'SyncroUrlError';
}

/**
 * The API base URL for one account: SYNCRO_BASE_URL with `{subdomain}` replaced by the validated,
 * lower-cased, URL-encoded label. Partner input can only ever fill that one label, so it cannot
 * choose another host (or, in the loopback path form, another path).
 */
export function syncroBaseUrl(template: string, subdomain: string): URL {
  const problem = subdomainProblem(subdomain);
  if (problem) throw new SyncroUrlError(`Syncro subdomain is not valid: ${problem}`);
  if (!template.includes('{subdomain}')) {
    // Without the placeholder every partner's token would go to the same host.
    throw new SyncroUrlError('Server misconfiguration: SYNCRO_BASE_URL must contain {subdomain}');
  }
  let url: URL;
  try {
    url = new URL(template.replaceAll('{subdomain}', encodeURIComponent(subdomain.trim().toLowerCase())));
  } catch {
    throw new SyncroUrlError('Server misconfiguration: SYNCRO_BASE_URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SyncroUrlError('Server misconfiguration: SYNCRO_BASE_URL must be http(s)');
  url.pathname = url.pathname.replace(/\/+$/, '');
  url.search = '';
  url.hash = '';
  return url;
}

/** `base` + an API path (e.g. "/customers") + query. */
export function syncroUrl(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base);
  url.pathname = `${base.pathname}${path}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}
