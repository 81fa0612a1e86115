import type { LevelWebhookRecord } from '../client.js';

/** The webhook trigger of an automation, if it has one (the first, when Level lists several). */
export function webhookFor(webhooks: readonly LevelWebhookRecord[], automationId: string): LevelWebhookRecord | undefined {
  return webhooks.find((w) => w.automation_id === automationId && webhookToken(w) !== null);
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
