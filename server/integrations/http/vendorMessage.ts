import { redactSecrets } from './redactSecrets.js';

const maxMessageLength = 200;

/**
 * The vendor's own short explanation from an error body, if it gave one: Rails-style
 * `{"error": …}` / `{"errors": […]}`, ASP.NET-style `{"Message": …}`, OAuth-style
 * `{"error_description": …}`, or a short plain-text body. HTML pages (a proxy's or a
 * marketing site's 404) yield nothing. Known secrets are removed and the length is capped.
 */
export function extractVendorMessage(body: Buffer, contentType: string | undefined, secrets: readonly string[]): string | undefined {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  let message: string | undefined;
  if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"') || /json/i.test(contentType ?? '')) {
    try {
      message = messageFromJson(JSON.parse(text));
    } catch {
      message = undefined;
    }
  } else if (/^text\/plain/i.test(contentType ?? '') && !text.startsWith('<')) {
    message = text.split('\n')[0];
  }
  if (!message) return undefined;
  const clean = redactSecrets(message, secrets)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is stripped
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return undefined;
  return clean.length > maxMessageLength ? `${clean.slice(0, maxMessageLength - 1)}…` : clean;
}

function messageFromJson(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value.filter((v): v is string => typeof v === 'string');
    return parts.length ? parts.join('; ') : undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  for (const key of ['message', 'Message', 'error_description', 'error', 'errors', 'detail']) {
    const found = messageFromJson(record[key]);
    if (found) return found;
  }
  return undefined;
}

/** Identifiers only: a code that is not one (free text, a secret pasted into a field) is dropped. */
const codePattern = /^[A-Za-z][A-Za-z0-9_.:-]{0,79}$/;

/**
 * The vendor's error code from a JSON error body: `{"error":"invalid_scope"}` (OAuth2, RFC 6749
 * §5.2) or `{"error":{"code":"BotNotInConversationRoster"}}` (Bot Framework, Graph), or a top-level
 * `code`. Undefined when there is none or it does not look like an identifier.
 */
export function extractVendorCode(body: Buffer): string | undefined {
  const text = body.toString('utf8').trim();
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const error = record.error;
  const candidate = typeof error === 'string' ? error : error && typeof error === 'object' ? (error as Record<string, unknown>).code : record.code;
  return typeof candidate === 'string' && codePattern.test(candidate) ? candidate : undefined;
}
