import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { readPluginLogo } from '../logoSvg.js';
import type { ResolveAll } from '../netGuard.js';
import type { IntegrationPlugin, PluginContext, PluginSettings } from '../types.js';
import { tacticalActions } from './actions/index.js';
import { apiAddressProblem } from './address.js';
import { createTacticalApi, createTacticalHttp, type TacticalHttpOptions } from './client.js';
import { tacticalHealthCheck } from './health.js';
import { tacticalListOrganizations } from './organizations.js';
import { apiKeyProblem, apiUrlProblem, apiUrlText, normalizeApiUrl, tacticalFields, tacticalPermissions } from './settings.js';

export interface TacticalPluginOptions {
  /** Hard bound on one health check, retries and waits included. Default 15 s. */
  checkTimeoutMs?: number;
  /** Hard bound on one page of a discovery. Default 60 s. */
  pageTimeoutMs?: number;
  /** Bound on a read action, and the margin a waiting run gets beyond its own timeout. Default 20 s. */
  actionTimeoutMs?: number;
  /** Vendor client options; `resolve` stages DNS answers for the save-time check and the guarded agent (tests). */
  http?: TacticalHttpOptions;
}

export type TacticalPlugin = IntegrationPlugin & { close(): Promise<void> };

const logoSvg = readPluginLogo(import.meta.url);

/** Tactical RMM: the partner's own, self-hosted RMM, reached at the API host they give. */
export function createTacticalPlugin(options: TacticalPluginOptions = {}): TacticalPlugin {
  const http = createTacticalHttp(options.http);
  const api = createTacticalApi(http);
  const resolve: ResolveAll | undefined = options.http?.resolve;

  return {
    meta: {
      key: 'tacticalrmm',
      name: 'Tactical RMM',
      provider: 'AmidaWare',
      category: 'Rmm',
      description: 'Agents, scripts and alerts from your self-hosted Tactical RMM: read with an API key, and run scripts, commands and reboots.',
      docsUrl: 'https://docs.tacticalrmm.com/functions/api/',
      fields: tacticalFields,
      requirements: [
        'The address of your Tactical RMM API host (https://api.<your domain>), reachable from this server',
        'An API key (in Tactical RMM: Settings › Global Settings › API Keys), bound to a user',
        `Role permission “${tacticalPermissions.clients}”`,
        `Role permission “${tacticalPermissions.agents}”`,
        `For actions: “${tacticalPermissions.scripts}”, “${tacticalPermissions.runScripts}”, “${tacticalPermissions.sendCommand}”, “${tacticalPermissions.reboot}”, “${tacticalPermissions.alerts}”`,
      ],
    },
    logoSvg,

    validate(settings: PluginSettings): FieldErrors | null {
      const errors: FieldErrors = {};
      const url = apiUrlProblem(settings.api_url);
      if (url) errors.api_url = [url];
      const key = apiKeyProblem(settings.api_key);
      if (key) errors.api_key = [key];
      return Object.keys(errors).length ? errors : null;
    },

    /**
     * Stores the URL normalised (no trailing slash, query or fragment) after the network guard
     * accepted it: https to a public address, or (with INTEGRATIONS_ALLOW_PRIVATE_NETWORK) a
     * private one; never a metadata address. A refusal is a 400 on the URL field.
     */
    async configure(ctx: PluginContext): Promise<PluginSettings> {
      const url = normalizeApiUrl(ctx.settings.api_url);
      const problem = await apiAddressProblem(url, { allowPrivateNetwork: ctx.config.allowPrivateNetwork }, resolve);
      if (problem) throw new AppError('VALIDATION_FAILED', 'Some settings are not valid', { fields: { 'settings.api_url': [problem] } });
      return { ...ctx.settings, api_url: apiUrlText(url) };
    },

    healthCheck: tacticalHealthCheck({ api, checkTimeoutMs: options.checkTimeoutMs ?? 15_000 }),

    listOrganizations: tacticalListOrganizations({ api, pageTimeoutMs: options.pageTimeoutMs ?? 60_000 }),

    actions: tacticalActions({ api, timeoutMs: options.actionTimeoutMs ?? 20_000 }),

    close: () => http.close(),
  };
}

/** The registry's instance: its vendor clients (connection pools, rate limiters) per server process. */
export const tacticalPlugin: TacticalPlugin = createTacticalPlugin();
