import type { FieldErrors } from '../../../shared/errors.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { OAuth2Auth } from '../oauth2/types.js';
import type { IntegrationPlugin, PluginContext, PluginSettings } from '../types.js';
import { m365Actions } from './actions/index.js';
import { createM365Api, m365RateLimit } from './client.js';
import { m365HealthCheck } from './health.js';
import { m365ListOrganizations } from './organizations.js';
import { consentFromError } from './consent.js';
import { adminConsentUrl, appIdProblem, clientSecretProblem, discoveryProblem, discoverySources, m365Hosts, microsoft365Fields, partnerTenantProblem, readM365Settings, secretExpiresProblem, tokenUrl } from './settings.js';

export interface M365PluginOptions {
  /** One health check, the sweep over mapped tenants included. Default 25 s. */
  checkTimeoutMs?: number;
  actionTimeoutMs?: number;
  discoveryTimeoutMs?: number;
  /** Graph `$top` / Partner Center `size` for discovery (default 300). */
  discoveryPageSize?: number;
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: VendorClientOptions['rateLimit'] };
}

export type M365Plugin = IntegrationPlugin & { auth: OAuth2Auth; close(): Promise<void> };

/** One resource per token request [H: §1.2]: Graph for tenants and GDAP, Partner Center for CSP discovery. */
export const graphScope = 'https://graph.microsoft.com/.default';
export const partnerCenterScope = 'https://api.partnercenter.microsoft.com/.default';

const logoSvg = readPluginLogo(import.meta.url);

/**
 * Microsoft 365 across the partner's customer tenants (issue 26): the partner's multi-tenant Entra
 * app, app-only tokens from each customer tenant's own token endpoint (one per partner + tenant,
 * the framework's `forOrganization`), customer tenants discovered from GDAP or Partner Center.
 */
export function createMicrosoft365Plugin(options: M365PluginOptions = {}): M365Plugin {
  const { rateLimit, ...httpOptions } = options.http ?? {};
  const http = createVendorClient({ vendor: 'Microsoft 365', rateLimit: rateLimit ?? m365RateLimit, ...httpOptions });
  const api = createM365Api(http);

  const auth: OAuth2Auth = {
    grants: ['oauth2ClientCredentials'],
    http,
    grant(settings, config, organization = '') {
      const s = readM365Settings(settings);
      if ('problem' in s) return { problem: s.problem };
      // '' is the partner tenant (discovery: GDAP through Graph, or Partner Center); any other
      // organization is a customer tenant id, whose token only its own endpoint issues.
      const partnerCenter = organization === '' && s.discovery === discoverySources.partnerCenter;
      return {
        kind: 'oauth2ClientCredentials',
        token: { url: tokenUrl(m365Hosts(config), organization || s.partnerTenant), clientId: s.appId, clientSecret: s.clientSecret, clientAuth: 'post', scopes: [partnerCenter ? partnerCenterScope : graphScope] },
      };
    },
    // A customer tenant's administrator consents at `/{tenant}/adminconsent`; the re-check is a token request there.
    adminConsent: {
      url(settings, config, organization, redirectUri, state) {
        const s = readM365Settings(settings);
        if ('problem' in s) return { problem: s.problem };
        return adminConsentUrl(m365Hosts(config), organization, s.appId, redirectUri, state);
      },
      explain: (error) => consentFromError(error).reason ?? 'Microsoft refused a token for this tenant',
    },
  };

  return {
    meta: {
      key: 'microsoft365',
      name: 'Microsoft 365',
      provider: 'Microsoft',
      category: 'Security',
      description: "Your customers' Microsoft 365 tenants through your multi-tenant Entra app: discovers them from GDAP or Partner Center, checks consent per tenant, reads licenses, Secure Score and users, and revokes a user's sessions.",
      docsUrl: 'https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow',
      fields: microsoft365Fields,
      requirements: [
        'A multi-tenant app registration in your partner tenant, its Application (client) ID and a client secret (its Value), with the redirect URI http://127.0.0.1/callback for admin consent',
        'Application permissions, admin-consented in each customer tenant: Organization.Read.All, SecurityEvents.Read.All, User.Read.All, and User.RevokeSessions.All to revoke sessions',
        'For GDAP discovery: DelegatedAdminRelationship.Read.All in your partner tenant; for Partner Center discovery: Partner Center API access for the app',
      ],
    },
    logoSvg,
    auth,
    // Entra client secrets live at most 24 months; the portal recommends 180 days.
    credentialMaxAgeDays: 180,
    // The secret's Expires date, when the partner gave it, is when Entra starts refusing it (AADSTS7000222).
    credentialExpiry(settings) {
      const expires = secretExpiresProblem(settings.client_secret_expires) === null && typeof settings.client_secret_expires === 'string' ? settings.client_secret_expires.trim() : '';
      return expires ? { client_secret: new Date(`${expires}T00:00:00Z`) } : {};
    },

    validate(settings: PluginSettings): FieldErrors | null {
      const problems = {
        partner_tenant_id: partnerTenantProblem(settings.partner_tenant_id),
        app_id: appIdProblem(settings.app_id),
        client_secret: clientSecretProblem(settings.client_secret),
        client_secret_expires: secretExpiresProblem(settings.client_secret_expires),
        discovery: discoveryProblem(settings.discovery),
      };
      const errors: FieldErrors = {};
      for (const [field, problem] of Object.entries(problems)) if (problem) errors[field] = [problem];
      return Object.keys(errors).length ? errors : null;
    },

    async configure(ctx: PluginContext): Promise<PluginSettings> {
      const s = ctx.settings;
      const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v) as string | undefined;
      return { ...s, partner_tenant_id: lower(s.partner_tenant_id), app_id: lower(s.app_id), discovery: typeof s.discovery === 'string' && s.discovery !== '' ? s.discovery : discoverySources.gdap };
    },

    healthCheck: m365HealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 25_000 }),
    listOrganizations: m365ListOrganizations({ api, timeoutMs: options.discoveryTimeoutMs ?? 60_000, pageSize: options.discoveryPageSize ?? 300 }),
    actions: m365Actions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000 }),
    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, per-app bucket) per server process. */
export const microsoft365Plugin: M365Plugin = createMicrosoft365Plugin();
