import type { FieldSpec } from '../../../shared/integrations/fields.js';
import type { Config } from '../../config.js';
import { clientSecretProblem, entraAliases, guidRe, guidRegex, tenantRe, tenantRegex } from '../oauth2/entra.js';

/**
 * Microsoft 365 settings (vendor-apis-m365-zapier.md §1): the partner's multi-tenant Entra app
 * registration (its home tenant, application id and a client secret, with the secret's expiry
 * date when the partner gives it) and where customer tenants are discovered. Partner input never
 * chooses a host: login, Graph and Partner Center are Microsoft's (or one fake's with
 * VENDOR_EMULATORS=true and MICROSOFT365_EMULATOR_URL, tests and the demo only).
 */

const dateRe = /^\d{4}-\d{2}-\d{2}$/;
/** Entra's aliases are not the partner's tenant: the partner-level token must come from its own. */
const aliases = new Set(entraAliases);

export const discoverySources = { gdap: 'gdap', partnerCenter: 'partner_center' } as const;
export type DiscoverySource = (typeof discoverySources)[keyof typeof discoverySources];

export const microsoft365Fields: FieldSpec[] = [
  {
    key: 'partner_tenant_id',
    label: 'Partner tenant ID',
    kind: 'Text',
    required: true,
    maxLength: 253,
    placeholder: '00000000-0000-0000-0000-000000000000',
    help: 'The Directory (tenant) ID of your own (partner) tenant, where the multi-tenant app is registered, or a verified domain of it such as contoso.onmicrosoft.com.',
    pattern: { regex: tenantRegex, message: 'Enter the partner tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com' },
  },
  {
    key: 'app_id',
    label: 'Application (client) ID',
    kind: 'Text',
    required: true,
    maxLength: 36,
    placeholder: '00000000-0000-0000-0000-000000000000',
    help: 'The Application (client) ID of the multi-tenant app registration (Entra ID › App registrations › Overview).',
    pattern: { regex: guidRegex, message: 'The application ID is a GUID such as 00000000-0000-0000-0000-000000000000' },
  },
  {
    key: 'client_secret',
    label: 'Client secret',
    kind: 'Secret',
    required: true,
    maxLength: 256,
    help: "A client secret's Value (not its Secret ID) from the app registration's Certificates & secrets.",
    pattern: { regex: '^[\\x21-\\x7e]+$', message: 'The client secret is a single word without spaces' },
  },
  {
    key: 'client_secret_expires',
    label: 'Client secret expires on',
    kind: 'Text',
    required: false,
    maxLength: 10,
    placeholder: 'YYYY-MM-DD',
    help: "The secret's Expires date from Certificates & secrets, so the credential age warns before Microsoft refuses it.",
    pattern: { regex: '^\\d{4}-\\d{2}-\\d{2}$', message: 'Enter the date as YYYY-MM-DD' },
  },
  {
    key: 'discovery',
    label: 'Discover customer tenants from',
    kind: 'Select',
    required: false,
    help: 'GDAP relationships (Microsoft Graph, active ones) or Partner Center customers (CSP).',
    options: [
      { value: discoverySources.gdap, label: 'GDAP relationships (Microsoft Graph)' },
      { value: discoverySources.partnerCenter, label: 'Partner Center customers (CSP)' },
    ],
  },
];

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function partnerTenantProblem(value: unknown): string | null {
  const t = text(value);
  if (t === '') return 'Partner tenant ID is required';
  if (aliases.has(t.toLowerCase())) return `"${t}" is not a tenant: enter your partner tenant's Directory (tenant) ID (a GUID) or a verified domain`;
  if (/^https?:|\//i.test(t)) return 'Enter only the tenant ID or domain, not a URL';
  if (!tenantRe.test(t)) return 'Enter the partner tenant ID (a GUID) or a verified domain such as contoso.onmicrosoft.com';
  return null;
}

export function appIdProblem(value: unknown): string | null {
  const t = text(value);
  if (t === '') return 'Application ID is required';
  return guidRe.test(t) ? null : 'The application ID is a GUID such as 00000000-0000-0000-0000-000000000000';
}

export function secretExpiresProblem(value: unknown): string | null {
  const t = text(value);
  if (t === '') return null;
  if (!dateRe.test(t) || Number.isNaN(Date.parse(`${t}T00:00:00Z`)) || new Date(`${t}T00:00:00Z`).toISOString().slice(0, 10) !== t) return 'Enter the date as YYYY-MM-DD';
  return null;
}

export function discoveryProblem(value: unknown): string | null {
  if (value === undefined || value === '' || value === discoverySources.gdap || value === discoverySources.partnerCenter) return null;
  return 'Choose GDAP relationships or Partner Center customers';
}

export interface M365Settings {
  partnerTenant: string;
  appId: string;
  clientSecret: string;
  /** The secret's expiry date (UTC midnight), when the partner gave it. */
  secretExpires: Date | undefined;
  discovery: DiscoverySource;
}

export function readM365Settings(settings: Record<string, unknown>): M365Settings | { problem: string } {
  const problem =
    partnerTenantProblem(settings.partner_tenant_id) ??
    appIdProblem(settings.app_id) ??
    clientSecretProblem(settings.client_secret) ??
    secretExpiresProblem(settings.client_secret_expires) ??
    discoveryProblem(settings.discovery);
  if (problem) return { problem };
  const expires = text(settings.client_secret_expires);
  return {
    partnerTenant: text(settings.partner_tenant_id).toLowerCase(),
    appId: text(settings.app_id).toLowerCase(),
    clientSecret: text(settings.client_secret),
    secretExpires: expires ? new Date(`${expires}T00:00:00Z`) : undefined,
    discovery: settings.discovery === discoverySources.partnerCenter ? discoverySources.partnerCenter : discoverySources.gdap,
  };
}

/** Microsoft's hosts [H: §1 quick comparison], or the one fake standing in for all three. */
export interface M365Hosts {
  login: URL;
  graph: URL;
  partnerCenter: URL;
}

export function m365Hosts(config: Pick<Config, 'emulators'>): M365Hosts {
  const fake = config.emulators?.microsoft365;
  if (fake) return { login: new URL(fake), graph: new URL('/v1.0/', fake), partnerCenter: new URL('/v1/', fake) };
  return { login: new URL('https://login.microsoftonline.com'), graph: new URL('https://graph.microsoft.com/v1.0/'), partnerCenter: new URL('https://api.partnercenter.microsoft.com/v1/') };
}

/** `/{tenant}/oauth2/v2.0/token` on the login host [H: entra v2-oauth2-client-creds-grant-flow.md]. */
export function tokenUrl(hosts: M365Hosts, tenant: string): URL {
  return new URL(`/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, hosts.login);
}

/**
 * The admin-consent link of one customer tenant [H: entra client-creds doc, admin consent]:
 * `/{tenant}/adminconsent?client_id&state&redirect_uri`; Microsoft sends the admin back to
 * `redirect_uri?tenant&state&admin_consent=True`.
 */
export function adminConsentUrl(hosts: M365Hosts, tenant: string, appId: string, redirectUri: string, state: string): URL {
  const url = new URL(`/${encodeURIComponent(tenant)}/adminconsent`, hosts.login);
  url.search = new URLSearchParams({ client_id: appId, redirect_uri: redirectUri, state }).toString();
  return url;
}

/** The client secret rule is every Entra app's (../oauth2/entra.ts). */
export { clientSecretProblem };
