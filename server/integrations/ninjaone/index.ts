import type { FieldErrors } from '../../../shared/errors.js';
import type { Config } from '../../config.js';
import type { RateLimit } from '../http/rateLimiter.js';
import { createVendorClient, type VendorClientOptions } from '../http/vendorClient.js';
import { readPluginLogo } from '../logoSvg.js';
import type { OAuth2Auth, OAuth2Grant, TokenEndpoint } from '../oauth2/types.js';
import type { IntegrationPlugin, PluginSettings } from '../types.js';
import { ninjaActions } from './actions/index.js';
import { createNinjaApi, ninjaRateLimit } from './client.js';
import { ninjaHealthCheck } from './health.js';
import { ninjaListOrganizations } from './organizations.js';
import { ninjaHost, ninjaoneFields, ninjaUrl, readNinjaSettings, settingsProblems } from './settings.js';

export interface NinjaOnePluginOptions {
  /** Hard bound on one health check (token request included). Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one discovery page. Default 75 s. */
  pageTimeoutMs?: number;
  /** Hard bound on one action run. Default 30 s. */
  actionTimeoutMs?: number;
  /** Organizations a discovery page (default 100). */
  discoveryPageSize?: number;
  /** Vendor client options; `rateLimit` replaces the 100/min self-limit (tests only). */
  http?: Omit<VendorClientOptions, 'vendor' | 'rateLimit'> & { rateLimit?: RateLimit };
}

export type NinjaOnePlugin = IntegrationPlugin & { auth: OAuth2Auth; close(): Promise<void> };

const logoSvg = readPluginLogo(import.meta.url);

/**
 * The grant these settings use (vendor-apis.md §3): token endpoint `{host}/ws/oauth/token` and
 * authorize `{host}/ws/oauth/authorize` from NinjaOne's authorization-server metadata [H: NJ-OAS
 * well-known]; client id and secret in the form (`client_secret_post`, which the metadata lists);
 * exactly the partner's scopes, plus `offline_access` for a web app so it gets a refresh token.
 */
export function ninjaGrant(settings: PluginSettings, config: Config): OAuth2Grant | { problem: string } {
  const read = readNinjaSettings(settings);
  if ('problem' in read) return { problem: `NinjaOne settings are not valid: ${read.problem}` };
  const host = ninjaHost(read.instance, config);
  const token: TokenEndpoint = {
    url: ninjaUrl(host, '/ws/oauth/token'),
    clientId: read.clientId,
    clientSecret: read.clientSecret,
    clientAuth: 'post',
    scopes: read.grant === 'authorization_code' ? [...read.scopes, 'offline_access'] : [...read.scopes],
  };
  if (read.grant === 'authorization_code') return { kind: 'oauth2AuthorizationCode', token, authorizeUrl: ninjaUrl(host, '/ws/oauth/authorize') };
  return { kind: 'oauth2ClientCredentials', token };
}

/** NinjaOne RMM: organizations, devices, active alerts and scripts, through an OAuth2 app. */
export function createNinjaOnePlugin(options: NinjaOnePluginOptions = {}): NinjaOnePlugin {
  const { rateLimit, ...httpOptions } = options.http ?? {};
  const limit = rateLimit ?? ninjaRateLimit;
  const http = createVendorClient({ vendor: 'NinjaOne', rateLimit: limit, ...httpOptions });
  const api = createNinjaApi(http);

  return {
    meta: {
      key: 'ninjaone',
      name: 'NinjaOne',
      provider: 'NinjaOne',
      category: 'Rmm',
      description: 'Organizations, devices and active alerts from NinjaOne RMM through an OAuth2 app of your NinjaOne account; run scripts and built-in actions on devices with the management scope.',
      docsUrl: 'https://app.ninjarmm.com/apidocs/',
      fields: ninjaoneFields,
      requirements: [
        'An app in NinjaOne › Administration › Apps › API: an API Services (machine-to-machine) app with the Client Credentials grant, or a regular web app with Authorization Code and Refresh Token',
        'Its Client ID and Client Secret',
        'The monitoring scope (read); management to run scripts. Enter exactly the scopes the app was granted',
      ],
    },
    logoSvg,
    auth: { grants: ['oauth2ClientCredentials', 'oauth2AuthorizationCode'], http, grant: ninjaGrant },

    validate(settings: PluginSettings): FieldErrors | null {
      const problems = settingsProblems(settings);
      const errors: FieldErrors = Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, [problem]]));
      return Object.keys(errors).length ? errors : null;
    },

    healthCheck: ninjaHealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 15_000, rateLimit: limit }),
    listOrganizations: ninjaListOrganizations({ api, pageTimeoutMs: options.pageTimeoutMs ?? 75_000, rateLimit: limit, pageSize: options.discoveryPageSize }),
    actions: ninjaActions({ api, timeoutMs: options.actionTimeoutMs ?? 30_000, rateLimit: limit }),
    close: () => http.close(),
  };
}

/** The registry's instance: one vendor client per server process. */
export const ninjaonePlugin: NinjaOnePlugin = createNinjaOnePlugin();
