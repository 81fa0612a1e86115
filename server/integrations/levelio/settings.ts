import type { FieldSpec } from '../../../shared/integrations/fields.js';

/** A key is one printable word; whitespace inside means a paste went wrong (or a "Bearer " prefix). */
export const apiKeyRegex = '^[\\x21-\\x7e]+$';
const apiKeyRe = new RegExp(apiKeyRegex);

/**
 * A key's access, as Level's API-key screen offers it (Settings › API keys: "Read-only" or
 * "Read & write" [H: LVL-DOC]). Level's API does not say which one a key has, so the partner
 * tells us: side-effectful actions are unavailable with a read-only key, and say why.
 */
export const keyAccess = { readOnly: 'read_only', readWrite: 'read_write' } as const;
export const keyAccessLabels = { read_only: 'Read-only', read_write: 'Read & write' } as const;

/** Where a partner changes a key's access: the words of the messages that send them there. */
export const readOnlyKeyMessage =
  'The Level API key is Read-only: resolving alerts and triggering automations need a key with "Read & write" access. Create one in Level under Settings › API keys, then enter it here and set "Key access" to Read & write.';

export const levelFields: FieldSpec[] = [
  {
    key: 'api_key',
    label: 'API key',
    kind: 'Secret',
    required: true,
    maxLength: 512,
    help: 'Create it in Level under Settings › API keys (the key is shown once). Paste the key alone, without "Bearer".',
    pattern: { regex: apiKeyRegex, message: 'The API key is a single word without spaces (paste it without "Bearer")' },
  },
  {
    key: 'key_access',
    label: 'Key access',
    kind: 'Select',
    required: true,
    help: 'The access you gave the key in Level. Level does not report it: with Read-only, resolving alerts and triggering automations stay unavailable.',
    options: [
      { value: keyAccess.readOnly, label: keyAccessLabels.read_only },
      { value: keyAccess.readWrite, label: keyAccessLabels.read_write },
    ],
  },
  {
    key: 'webhook_authorization',
    label: 'Webhook authorization header',
    kind: 'Secret',
    required: false,
    maxLength: 1024,
    help: 'Only if your automations’ webhook triggers require an authorization header: the value you set on the trigger in Level. Sent as the Authorization header when triggering one.',
  },
];

/** Why a key cannot be used; null when it is fine. Never echoes the key. */
export function apiKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'API key is required';
  const text = value.trim();
  // Level takes the key itself in Authorization; "Bearer <key>" is refused like a wrong key [M: COOLF, ALGA].
  if (/^bearer\s/i.test(text)) return 'Paste the API key alone, without "Bearer": Level takes the key itself';
  if (text.length > 512) return 'The API key is at most 512 characters';
  if (!apiKeyRe.test(text)) return 'The API key is a single word without spaces';
  return null;
}

export function keyAccessProblem(value: unknown): string | null {
  if (value === keyAccess.readOnly || value === keyAccess.readWrite) return null;
  return `Choose the key's access: ${keyAccessLabels.read_only} or ${keyAccessLabels.read_write}`;
}

export const isReadWrite = (value: unknown): boolean => value === keyAccess.readWrite;

export class LevelUrlError extends Error {
  override name = 'LevelUrlError';
}

/**
 * LEVEL_BASE_URL, the host root (`https://api.level.io`): the API's paths start with `/v2`
 * themselves [H: LVL-OAS; ALGA], so a base ending in `/v2` would ask for `/v2/v2/...` and is
 * refused with a message for the operator rather than failing every call with a 404.
 */
export function levelBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new LevelUrlError('Server misconfiguration: LEVEL_BASE_URL is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LevelUrlError('Server misconfiguration: LEVEL_BASE_URL must be http(s)');
  url.pathname = url.pathname.replace(/\/+$/, '');
  if (/\/v2$/i.test(url.pathname)) throw new LevelUrlError('Server misconfiguration: LEVEL_BASE_URL is the host root (https://api.level.io), without /v2');
  url.search = '';
  url.hash = '';
  return url;
}

/** `base` + an API path ("/v2/groups") + query. */
export function levelUrl(base: URL, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(base);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url;
}
