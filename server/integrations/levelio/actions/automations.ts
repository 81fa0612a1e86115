import type { LevelWebhookRecord } from '../client.js';

/** The webhook trigger of an automation, if it has one (one with a usable token first, when Level lists several). */
export function webhookFor(webhooks: readonly LevelWebhookRecord[], automationId: string): LevelWebhookRecord | undefined {
  const own = webhooks.filter((w) => w.automation_id === automationId);
  return own.find((w) => webhookToken(w) !== null) ?? own[0];
}

/**
 * The token of `POST /v2/automations/webhooks/{token}`: `token`, or the last path segment of
 * `url` (either may be what Level lists [L]). Only letters, digits, `-`, `_`, `.` and `=` are
 * accepted, so a token can never change the path it is put in. A secret: never returned or logged.
 */
export function webhookToken(hook: LevelWebhookRecord): string | null {
  let token = hook.token?.trim();
  if (!token && hook.url) {
    try {
      token = new URL(hook.url).pathname.split('/').filter(Boolean).at(-1);
    } catch {
      token = undefined;
    }
  }
  return token && /^[A-Za-z0-9._=-]{8,512}$/.test(token) ? token : null;
}
