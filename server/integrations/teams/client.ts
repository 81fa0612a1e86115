import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { Budget } from '../http/budget.js';
import { VendorError } from '../http/errors.js';
import type { RateLimit } from '../http/rateLimiter.js';
import type { VendorClient } from '../http/vendorClient.js';

/**
 * The Bot Framework service calls the integration makes [H: msteams-docs send-proactive-messages.md,
 * resources/bot-v3/bot-conversations/bots-conv-proactive.md; vendor-apis.md §7], with a bot token
 * (`Authorization: Bearer`, scope https://api.botframework.com/.default).
 */
export interface TeamsCall {
  /** The service URL, ending in `/` (e.g. https://smba.trafficmanager.net/teams/). */
  serviceUrl: URL;
  appId: string;
  budget: Budget;
  log: Logger;
}

/**
 * Teams answers 429 past its limits, per bot per thread (1,800 operations in 3,600 s for one
 * thread) and 50 requests a second per app per tenant, and says the exact values may change
 * [H: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit — not in
 * vendor-apis.md]. These actions are occasional notifications: one bucket per app and instance,
 * burst 7 + 120 a minute, well inside both. A 429 (`Throttled`) is retried by the vendor client
 * after its Retry-After.
 */
export const teamsRateLimit: RateLimit = { perMinute: 120, burst: 7 };

/**
 * The vendor client's own bucket, used by what names none: token requests, one bucket per login
 * host and instance for every partner. Entra publishes no figure for the token endpoint (not in
 * vendor-apis.md); tokens last about an hour and are reused, so 600 a minute (burst 20) only
 * guards against a runaway loop.
 */
export const loginRateLimit: RateLimit = { perMinute: 600, burst: 20 };
const rateLimitKey = (call: TeamsCall, limit: RateLimit) => `teams ${call.appId} ${limit.perMinute}/${limit.burst}`;

/** `POST /v3/conversations` 201: `{id, activityId?}` (a channel thread) or `{id: "a:…"}` (a personal chat). */
const conversationResourceSchema = z.looseObject({ id: z.string().min(1), activityId: z.string().nullish(), serviceUrl: z.string().nullish() });
/** `POST /v3/conversations/{id}/activities` 201: a ResourceResponse `{id}`. */
const resourceResponseSchema = z.looseObject({ id: z.string().nullish() });

/** ConversationParameters as Teams takes them. */
export interface ConversationParameters {
  isGroup: boolean;
  bot?: { id: string };
  members?: { id: string }[];
  tenantId?: string;
  channelData?: { channel?: { id: string }; team?: { id: string }; tenant?: { id: string } };
  activity?: MessageActivity;
}
export interface MessageActivity {
  type: 'message';
  text: string;
}

export function createTeamsApi(http: VendorClient, rateLimit: RateLimit = teamsRateLimit) {
  const url = (call: TeamsCall, path: string) => new URL(path, call.serviceUrl);

  async function post(call: TeamsCall, token: string, path: string, operation: string, body: unknown): Promise<unknown> {
    const res = await http.request({
      method: 'POST',
      url: url(call, path),
      operation,
      headers: { authorization: `Bearer ${token}` },
      json: body,
      budget: call.budget,
      log: call.log,
      secrets: [token],
      // A message must not be posted twice: resent only after 429/503 (not processed).
      idempotent: false,
      rateLimitKey: rateLimitKey(call, rateLimit),
      rateLimit,
    });
    return res.data;
  }

  function shape<T>(schema: z.ZodType<T>, data: unknown, operation: string, reason: string): T {
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw new VendorError('invalid_response', { vendor: 'Microsoft Teams', operation, reason });
    return parsed.data;
  }

  return {
    /** `POST {serviceUrl}/v3/conversations` → 201 `{id, activityId}` / `{id}`. */
    async createConversation(call: TeamsCall, token: string, params: ConversationParameters) {
      const operation = 'POST /v3/conversations';
      const data = await post(call, token, 'v3/conversations', operation, params);
      return shape(conversationResourceSchema, data, operation, 'no conversation id in the answer');
    },

    /** `POST {serviceUrl}/v3/conversations/{conversationId}/activities` → 201 `{id}`. */
    async sendToConversation(call: TeamsCall, token: string, conversationId: string, activity: MessageActivity) {
      const operation = 'POST /v3/conversations/{id}/activities';
      const data = await post(call, token, `v3/conversations/${encodeURIComponent(conversationId)}/activities`, operation, activity);
      return shape(resourceResponseSchema, data ?? {}, operation, 'the answer is not a resource response');
    },
  };
}

export type TeamsApi = ReturnType<typeof createTeamsApi>;
