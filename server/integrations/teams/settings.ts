import type { FieldSpec } from '../../../shared/integrations/fields.js';
import { clientSecretProblem, clientSecretRegex, entraAliases, guidRe, guidRegex, tenantRe, tenantRegex } from '../oauth2/entra.js';

/**
 * Microsoft Teams settings (vendor-apis.md §7): the bot's Microsoft App ID and a client secret of
 * its Entra app registration, the tenant the registration lives in, the bot type (which token
 * endpoint it signs in at) and the Bot Framework service region messages are sent to.
 * Partner input never chooses a host: the login host is Microsoft's, the service URL one of
 * Microsoft's regional ones (or the emulators' with VENDOR_EMULATORS=true, tests and the demo).
 */

/**
 * Entra's multi-tenant aliases: a single-tenant bot must sign in at its own tenant, and
 * `botframework.com` is what the multi-tenant bot type means, not a tenant to type in.
 */
const aliases = new Set([...entraAliases, 'botframework.com']);

export const botTypes = { single: 'single_tenant', multi: 'multi_tenant' } as const;
export type BotType = (typeof botTypes)[keyof typeof botTypes];

/**
 * The Bot Framework service URLs for Teams: the global one Microsoft's samples use, and the
 * regional ones Teams hands out in `serviceUrl` (smba.trafficmanager.net/{amer,emea,apac}/)
 * [H: msteams-docs send-proactive-messages.md; vendor-apis.md §7]. A select, never free text,
 * so a partner's bot token is only ever sent to Microsoft.
 */
export const serviceRegions = {
  global: 'https://smba.trafficmanager.net/teams/',
  amer: 'https://smba.trafficmanager.net/amer/',
  emea: 'https://smba.trafficmanager.net/emea/',
  apac: 'https://smba.trafficmanager.net/apac/',
} as const;
export type ServiceRegion = keyof typeof serviceRegions;

export const teamsFields: FieldSpec[] = [
  {
    key: 'tenant_id',
    label: 'Tenant ID',
    kind: 'Text',
    required: true,
    maxLength: 253,
    placeholder: '00000000-0000-0000-0000-000000000000',
    help: "The Directory (tenant) ID of the bot's app registration in Microsoft Entra ID (a GUID), or a verified domain of that tenant such as contoso.onmicrosoft.com.",
    pattern: { regex: tenantRegex, message: 'Enter the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com' },
  },
  {
    key: 'app_id',
    label: 'Microsoft App ID',
    kind: 'Text',
    required: true,
    maxLength: 36,
    placeholder: '00000000-0000-0000-0000-000000000000',
    help: "The bot's Microsoft App ID (the Application (client) ID of its app registration; Azure Bot › Configuration).",
    pattern: { regex: guidRegex, message: 'The Microsoft App ID is a GUID such as 00000000-0000-0000-0000-000000000000' },
  },
  {
    key: 'client_secret',
    label: 'Client secret',
    kind: 'Secret',
    required: true,
    maxLength: 256,
    help: "A client secret's Value (not its Secret ID) from the app registration's Certificates & secrets.",
    pattern: { regex: clientSecretRegex, message: 'The client secret is a single word without spaces' },
  },
  {
    key: 'bot_type',
    label: 'Bot type',
    kind: 'Select',
    required: false,
    help: 'As the Azure Bot resource says under Configuration › Type of App. Single tenant unless your bot is an older multi-tenant one (new multi-tenant bots cannot be created after 31 July 2025).',
    options: [
      { value: botTypes.single, label: 'Single tenant (signs in at your tenant)' },
      { value: botTypes.multi, label: 'Multi tenant (legacy; signs in at botframework.com)' },
    ],
  },
  {
    key: 'service_region',
    label: 'Bot Framework region',
    kind: 'Select',
    required: false,
    help: 'Where messages are sent. Global works for every tenant; a regional address is what Teams gives your bot in its activities (serviceUrl).',
    options: [
      { value: 'global', label: `Global (${serviceRegions.global})` },
      { value: 'amer', label: `Americas (${serviceRegions.amer})` },
      { value: 'emea', label: `Europe, Middle East and Africa (${serviceRegions.emea})` },
      { value: 'apac', label: `Asia Pacific (${serviceRegions.apac})` },
    ],
  },
];

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export function tenantIdProblem(value: unknown): string | null {
  const t = text(value);
  if (t === '') return 'Tenant ID is required';
  if (aliases.has(t.toLowerCase())) {
    return `"${t}" is not a tenant: enter the Directory (tenant) ID of the bot's app registration (a GUID) or its verified domain; choose "Multi tenant" as the bot type for a legacy multi-tenant bot`;
  }
  if (/^https?:|\//i.test(t)) return 'Enter only the tenant ID or domain, not a URL';
  if (!tenantRe.test(t)) return 'Enter the Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com';
  return null;
}

export function appIdProblem(value: unknown): string | null {
  const t = text(value);
  if (t === '') return 'Microsoft App ID is required';
  if (!guidRe.test(t)) return 'The Microsoft App ID is a GUID such as 00000000-0000-0000-0000-000000000000';
  return null;
}

export function botTypeProblem(value: unknown): string | null {
  if (value === undefined || value === '' || value === botTypes.single || value === botTypes.multi) return null;
  return 'Choose the bot type: single tenant or multi tenant (legacy)';
}

export function serviceRegionProblem(value: unknown): string | null {
  if (value === undefined || value === '' || (typeof value === 'string' && Object.hasOwn(serviceRegions, value))) return null;
  return 'Choose a Bot Framework region from the list';
}

/** The settings a call needs, checked; the problem otherwise (worded for the partner). */
export interface TeamsSettings {
  tenantId: string;
  /** The tenant as a GUID when it was entered as one (Bot Framework's `tenantId` needs the GUID). */
  tenantGuid: string | undefined;
  appId: string;
  clientSecret: string;
  botType: BotType;
  region: ServiceRegion;
}

export function readTeamsSettings(settings: Record<string, unknown>): TeamsSettings | { problem: string } {
  const problem =
    tenantIdProblem(settings.tenant_id) ??
    appIdProblem(settings.app_id) ??
    clientSecretProblem(settings.client_secret) ??
    botTypeProblem(settings.bot_type) ??
    serviceRegionProblem(settings.service_region);
  if (problem) return { problem };
  const tenantId = text(settings.tenant_id).toLowerCase();
  return {
    tenantId,
    tenantGuid: guidRe.test(tenantId) ? tenantId : undefined,
    appId: text(settings.app_id).toLowerCase(),
    clientSecret: text(settings.client_secret),
    botType: settings.bot_type === botTypes.multi ? botTypes.multi : botTypes.single,
    region: (text(settings.service_region) || 'global') as ServiceRegion,
  };
}

export const microsoftLoginBase = 'https://login.microsoftonline.com';

/**
 * The token endpoint: `/{tenantId}/oauth2/v2.0/token` for a single-tenant bot,
 * `/botframework.com/oauth2/v2.0/token` for a legacy multi-tenant one [M: vendor-apis.md §7, ALGA
 * teamsSetupValidationActions.ts], on Microsoft's login host or the emulator's.
 */
export function tokenUrl(s: Pick<TeamsSettings, 'tenantId' | 'botType'>, loginBase: string | undefined): URL {
  const base = new URL(loginBase ?? microsoftLoginBase);
  const tenant = s.botType === botTypes.multi ? 'botframework.com' : s.tenantId;
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  base.search = '';
  return base;
}

/**
 * The Bot Framework service URL of the region, ending in `/`. With an emulator, its origin
 * replaces Microsoft's host and the region's path is kept (`{emulator}/amer/`), so the region
 * chosen stays visible to tests.
 */
export function serviceUrl(region: ServiceRegion, emulator: string | undefined): URL {
  const real = new URL(serviceRegions[region]);
  if (!emulator) return real;
  const base = new URL(emulator);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${real.pathname}`;
  base.search = '';
  return base;
}

/** The client secret rule is every Entra app's (../oauth2/entra.ts). */
export { clientSecretProblem };
