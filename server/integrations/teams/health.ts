import { formatSeconds } from '../http/budget.js';
import { tokenHealth } from '../oauth2/health.js';
import { OAuthConnectionError, TokenRequestError } from '../oauth2/types.js';
import { Health, type HealthResult, type PluginContext } from '../types.js';
import { botTypes, readTeamsSettings, serviceRegions, type TeamsSettings } from './settings.js';

const entra = 'Microsoft Entra ID';

/**
 * What Entra's AADSTS codes (in `error_description`) mean for a bot's settings [M: vendor-apis.md
 * §7, ALGA, MS-ISS; H: learn.microsoft.com entra reference-error-codes for AADSTS700016], in
 * words that say what to change. Null: a refusal we have no particular words for.
 */
export function aadstsProblem(error: TokenRequestError, s: Pick<TeamsSettings, 'appId' | 'tenantId' | 'botType'>): string | null {
  const code = /AADSTS(\d+)/.exec(error.description ?? '')?.[1];
  const where = s.botType === botTypes.multi ? 'botframework.com (multi-tenant bot type)' : `tenant ${s.tenantId}`;
  switch (code) {
    case '7000215':
      return `${entra} says the client secret is not valid (expired or wrong value, AADSTS7000215): create a new client secret for app ${s.appId} (app registration › Certificates & secrets) and paste its Value, not its Secret ID`;
    case '700016':
      return (
        `${entra} found no app ${s.appId} at ${where} (AADSTS700016). This usually means the right app id was sent to the wrong tenant, ` +
        `or the bot type is wrong (a single-tenant bot set up here as multi tenant, or the reverse): check the tenant ID (the Directory (tenant) ID of the app registration) and the bot type (Azure Bot › Configuration › Type of App)`
      );
    case '90002':
      return `${entra} does not know the tenant ${s.tenantId} (AADSTS90002): check the tenant ID (the Directory (tenant) ID of the bot's app registration, or a verified domain of that tenant)`;
    default:
      return null;
  }
}

/** A failure to get a Bot Framework token, as health. */
export function teamsTokenHealth(error: unknown, s: TeamsSettings, ctx: Pick<PluginContext, 'log'>): HealthResult {
  if (error instanceof TokenRequestError) {
    const problem = aadstsProblem(error, s);
    if (problem) return Health.error(problem);
  }
  return tokenHealth(error, entra, ctx.log);
}

export interface TeamsHealthOptions {
  /** Hard bound on one check, retries and waits included. */
  checkTimeoutMs: number;
}

/**
 * The Teams health check: acquiring the Bot Framework token (client credentials, scope
 * https://api.botframework.com/.default) is the check — "token acquired" is a healthy bot, as
 * ALGA's setup validation treats it [M: vendor-apis.md §7]. No message is sent: whether the app is
 * installed in a team or for a user shows only when a message is posted there, so it cannot be
 * proved read-only. The secret is never logged.
 */
export function teamsHealthCheck(options: TeamsHealthOptions): (ctx: PluginContext) => Promise<HealthResult> {
  return async (ctx) => {
    const s = readTeamsSettings(ctx.settings);
    if ('problem' in s) return Health.error(`Microsoft Teams settings are not valid: ${s.problem}`);
    if (!ctx.oauth) return Health.error('Microsoft Teams: no token source for this connection (the bot sign-in is not configured)');
    try {
      await ctx.oauth.accessToken({ signal: AbortSignal.timeout(options.checkTimeoutMs) });
    } catch (error) {
      if (error instanceof OAuthConnectionError) return Health.error(error.message);
      if (error instanceof Error && error.name === 'TimeoutError') return Health.degraded(`${entra} did not answer within ${formatSeconds(options.checkTimeoutMs)}`);
      return teamsTokenHealth(error, s, ctx);
    }
    const kind = s.botType === botTypes.multi ? 'legacy multi-tenant bot (signs in at botframework.com; new ones cannot be created after 31 July 2025)' : `single-tenant bot of tenant ${s.tenantId}`;
    return Health.ok(`Signed in to the Bot Framework as app ${s.appId}, a ${kind}; messages go to ${serviceRegions[s.region]}`);
  };
}
