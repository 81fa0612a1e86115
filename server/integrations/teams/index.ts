import type { FieldErrors } from '../../../shared/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { OAuth2Auth } from '../oauth2/types.js';
import type { IntegrationPlugin, PluginContext, PluginSettings } from '../types.js';
import { teamsActions } from './actions/index.js';
import { createTeamsApi, loginRateLimit } from './client.js';
import { teamsHealthCheck } from './health.js';
import { appIdProblem, botTypeProblem, clientSecretProblem, readTeamsSettings, serviceRegionProblem, teamsFields, tenantIdProblem, tokenUrl } from './settings.js';

export interface TeamsPluginOptions {
  /** Hard bound on one health check (the token request, retries included). Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one action run. Default 30 s. */
  actionTimeoutMs?: number;
  /** Messages per app and instance; default `teamsRateLimit` (tests only). */
  messageRateLimit?: RateLimit;
  /** Vendor client options (tests use milliseconds); `rateLimit` replaces the token requests' bucket. */
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: VendorClientOptions['rateLimit'] };
}

export type TeamsPlugin = IntegrationPlugin & { auth: OAuth2Auth; close(): Promise<void> };

/** The Bot Framework's scope for a bot token [M: vendor-apis.md §7]. */
export const botFrameworkScope = 'https://api.botframework.com/.default';

const logoSvg = readPluginLogo(import.meta.url);

/** Microsoft Teams: proactive bot messages to channels and users, with the bot's app id and client secret. */
export function createTeamsPlugin(options: TeamsPluginOptions = {}): TeamsPlugin {
  const { rateLimit, ...httpOptions } = options.http ?? {};
  const http = createVendorClient({ vendor: 'Microsoft Teams', rateLimit: rateLimit ?? loginRateLimit, ...httpOptions });
  const api = createTeamsApi(http, options.messageRateLimit);

  const auth: OAuth2Auth = {
    grants: ['oauth2ClientCredentials'],
    http,
    grant(settings, config) {
      const s = readTeamsSettings(settings);
      if ('problem' in s) return { problem: s.problem };
      return {
        kind: 'oauth2ClientCredentials',
        token: {
          // Microsoft's host, or the emulator's only with VENDOR_EMULATORS=true (server/config.ts).
          url: tokenUrl(s, config.emulators?.microsoftLogin),
          clientId: s.appId,
          clientSecret: s.clientSecret,
          clientAuth: 'post',
          scopes: [botFrameworkScope],
        },
      };
    },
  };

  return {
    meta: {
      key: 'teams',
      name: 'Microsoft Teams',
      provider: 'Microsoft',
      category: 'Communication',
      description: 'Posts messages to Teams channels and sends one-on-one messages to users as your Teams bot (Azure Bot with a Microsoft App ID and client secret).',
      docsUrl: 'https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages',
      fields: teamsFields,
      requirements: [
        'An Azure Bot resource with the Microsoft Teams channel turned on, and its Microsoft App ID',
        "A client secret of the bot's app registration (Certificates & secrets: its Value)",
        "The Directory (tenant) ID of the app registration, and the bot type (single tenant, or legacy multi tenant)",
        'The Teams app with the bot installed in each team to post to, and for each user to message',
      ],
    },
    logoSvg,
    auth,
    // Entra ID client secrets expire; the portal's recommended lifetime is 180 days (at most 24
    // months): "Certificates & secrets" > "New client secret" > Expires.
    credentialMaxAgeDays: 180,

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const problems = {
        tenant_id: tenantIdProblem(settings.tenant_id),
        app_id: appIdProblem(settings.app_id),
        client_secret: clientSecretProblem(settings.client_secret),
        bot_type: botTypeProblem(settings.bot_type),
        service_region: serviceRegionProblem(settings.service_region),
      };
      for (const [field, problem] of Object.entries(problems)) if (problem) errors[field] = [problem];
      return Object.keys(errors).length ? errors : null;
    },

    async configure(ctx: PluginContext): Promise<PluginSettings> {
      const s = ctx.settings;
      const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);
      return {
        ...s,
        tenant_id: trimmed(s.tenant_id) as string | undefined,
        app_id: trimmed(s.app_id) as string | undefined,
        bot_type: typeof s.bot_type === 'string' && s.bot_type !== '' ? s.bot_type : 'single_tenant',
        service_region: typeof s.service_region === 'string' && s.service_region !== '' ? s.service_region : 'global',
      };
    },

    healthCheck: teamsHealthCheck({ checkTimeoutMs: options.checkTimeoutMs ?? 15_000 }),

    actions: teamsActions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000 }),

    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client (connection pool, per-app bucket) per server process. */
export const teamsPlugin: TeamsPlugin = createTeamsPlugin();
