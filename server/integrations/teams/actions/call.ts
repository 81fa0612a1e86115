import { AppError } from '../../../../shared/errors.js';
import type { ActionContext } from '../../actions.js';
import { startBudget } from '../../http/budget.js';
import { VendorError } from '../../http/errors.js';
import { OAuthConnectionError, TokenRequestError, type AccessToken, type TokenSource } from '../../oauth2/types.js';
import type { TeamsApi, TeamsCall } from '../client.js';
import { aadstsProblem } from '../health.js';
import { readTeamsSettings, serviceUrl, type TeamsSettings } from '../settings.js';

/** What every Teams action is built with: the plugin's API (one vendor client) and its bound. */
export interface TeamsActionDeps {
  api: TeamsApi;
  /** Bound on one action run, the token request and waits included. */
  timeoutMs: number;
}

export interface TeamsRun {
  call: TeamsCall;
  settings: TeamsSettings;
  oauth: TokenSource;
}

/** Opens a run from the partner's settings; settings the service let through but we cannot use are a CONFLICT. */
export function openRun(ctx: ActionContext, deps: TeamsActionDeps): TeamsRun {
  const settings = readTeamsSettings(ctx.settings);
  if ('problem' in settings) throw new AppError('CONFLICT', `Microsoft Teams settings are not valid: ${settings.problem}`);
  if (!ctx.oauth) throw new AppError('CONFLICT', 'Microsoft Teams: the bot sign-in is not configured for this integration');
  return {
    settings,
    oauth: ctx.oauth,
    call: {
      serviceUrl: serviceUrl(settings.region, ctx.config.emulators?.teamsService),
      appId: settings.appId,
      budget: startBudget(ctx.signal, deps.timeoutMs),
      log: ctx.log.child({ integration: 'teams', partnerId: ctx.partnerId }),
    },
  };
}

/** The tenant GUID a conversation needs: the input's, else the settings' when it is a GUID. */
export function tenantFor(run: TeamsRun, given: string | undefined): string {
  const tenant = given?.toLowerCase() ?? run.settings.tenantGuid;
  if (!tenant) {
    throw new AppError('CONFLICT', `Teams needs the tenant's Directory (tenant) ID, a GUID: the integration's tenant is the domain ${run.settings.tenantId}. Give tenantId, or enter the tenant ID as a GUID in the settings.`);
  }
  return tenant;
}

async function token(run: TeamsRun): Promise<AccessToken> {
  try {
    return await run.oauth.accessToken({ signal: run.call.budget.signal });
  } catch (error) {
    if (error instanceof TokenRequestError) {
      const problem = aadstsProblem(error, run.settings);
      throw new AppError('CONFLICT', problem ?? `Microsoft Entra ID refused the bot's sign-in (${error.error})${error.description ? `: ${error.description}` : ''}`, {
        details: { vendorStatus: error.status, vendorCode: error.error },
      });
    }
    if (error instanceof OAuthConnectionError) throw new AppError('CONFLICT', error.message);
    throw error;
  }
}

/**
 * Calls `fn` with a bot token. A 401 from the service (other than `BotNotRegistered`, which no
 * token cures) means the token was refused — expired early or revoked: it is dropped
 * (`rejected`) and the call made once more with a new one. A 401 cannot have been processed,
 * so the second attempt cannot post twice.
 */
export async function withToken<T>(run: TeamsRun, fn: (token: string) => Promise<T>): Promise<T> {
  const first = await token(run);
  try {
    return await fn(first.value);
  } catch (error) {
    if (!(error instanceof VendorError && error.status === 401 && error.details.vendorCode !== 'BotNotRegistered')) throw error;
    await run.oauth.rejected(first);
    const second = await token(run);
    return await fn(second.value);
  }
}

const said = (error: VendorError) => {
  const message = error.details.vendorMessage;
  return message ? ` Teams says: ${message}${/[.!?]$/.test(message) ? '' : '.'}` : '';
};

/**
 * Bot Framework refusals as errors a user can act on [H: vendor-apis.md §7; msteams-docs
 * send-proactive-messages.md for `MessageWritesBlocked`, whose 403 body is
 * `{"errorCode":209,"message":"{\"subCode\":\"MessageWritesBlocked\",…}"}`, so it is found in the
 * message rather than in an `error.code`]. Anything else stays a VendorError (the action service
 * words and records it; a 429 `Throttled` arrives here only after the client's retries).
 */
export function sendFailure(error: unknown, target: { kind: 'channel' | 'user'; id: string }): unknown {
  if (!(error instanceof VendorError)) return error;
  const code = error.details.vendorCode;
  const details = { vendorStatus: error.status, vendorCode: code ?? null };
  const conflict = (message: string) => new AppError('CONFLICT', message, { details });
  const where = target.kind === 'channel' ? `the channel ${target.id}` : `the user ${target.id}`;
  if (error.status === 403 && (code === 'BotNotInConversationRoster' || code === 'ForbiddenOperationException')) {
    return conflict(
      target.kind === 'channel'
        ? `The app is not installed in the team of ${where} (add the app to the team in Teams first), so the bot cannot post there.`
        : `The app is not installed for ${where} (install the app for the user in Teams, or through the Teams admin center), so the bot cannot message them.`,
    );
  }
  if (error.status === 403 && code === 'ConversationBlockedByUser') return conflict(`The user blocked the bot, so it cannot message ${where}; only the user can unblock it in Teams.`);
  if (error.status === 403 && code === 'BotDisabledByAdmin') return conflict(`The tenant admin disabled the app in Teams (Teams admin center › Manage apps), so the bot cannot post to ${where}.`);
  if (error.status === 403 && /MessageWritesBlocked/.test(error.details.vendorMessage ?? '')) {
    return conflict(`Teams blocks the bot from writing to ${where} (MessageWritesBlocked): the user blocked or uninstalled the app, or it was removed there.`);
  }
  if (error.status === 401 && code === 'BotNotRegistered') {
    return conflict('The Bot Framework does not know this bot (BotNotRegistered): create an Azure Bot resource for the Microsoft App ID and turn on its Microsoft Teams channel.');
  }
  if (error.status === 401) return conflict(`The Bot Framework refused the bot's token twice, with a new token too.${said(error)} Check the Microsoft App ID and the bot type.`);
  if (error.status === 404 && (code === 'ConversationNotFound' || code === undefined)) {
    return conflict(`Teams has no conversation for ${where} (ConversationNotFound): check the ${target.kind === 'channel' ? 'channel id (19:…@thread.tacv2)' : 'user id'}.`);
  }
  if (error.status === 400 && code === 'BadSyntax') return conflict(`Teams refused the conversation parameters (BadSyntax).${said(error)}`);
  if (error.status === 403) return new AppError('VENDOR_ERROR', `Teams refused to post to ${where} (HTTP 403${code ? `, ${code}` : ''}).${said(error)}`, { details });
  return error;
}
