import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/integrations/fields.js';
import { createLevelPlugin } from './index.js';
import { levelBaseUrl, levelFields, levelUrl } from './settings.js';

const plugin = createLevelPlugin();
const create = settingsSchema(levelFields, 'create');

describe('Level settings', () => {
  it('accepts a key with its access; the webhook header is optional', () => {
    expect(plugin.validate({ api_key: 'lvl_0123456789abcdef', key_access: 'read_only' })).toBeNull();
    expect(create.safeParse({ api_key: 'lvl_0123456789abcdef', key_access: 'read_write' }).success).toBe(true);
    expect(create.safeParse({ api_key: 'lvl_0123456789abcdef', key_access: 'read_write', webhook_authorization: 'Token abc' }).success).toBe(true);
  });

  it('field-level messages: a missing key, a "Bearer " prefix, spaces, no or an unknown access', () => {
    expect(plugin.validate({})).toEqual({ api_key: ['API key is required'], key_access: ["Choose the key's access: Read-only or Read & write"] });
    expect(plugin.validate({ api_key: 'Bearer lvl_0123456789', key_access: 'read_write' })).toEqual({ api_key: ['Paste the API key alone, without "Bearer": Level takes the key itself'] });
    expect(plugin.validate({ api_key: 'lvl 0123', key_access: 'admin' })).toEqual({ api_key: ['The API key is a single word without spaces'], key_access: ["Choose the key's access: Read-only or Read & write"] });
    const parsed = create.safeParse({ api_key: 'two words', key_access: 'everything' });
    expect(parsed.success).toBe(false);
    const fields = Object.fromEntries((parsed.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    expect(fields).toEqual({ api_key: 'The API key is a single word without spaces (paste it without "Bearer")', key_access: 'Choose one of: Read-only, Read & write' });
  });

  it('a pasted key is trimmed before it is stored', async () => {
    const stored = await plugin.configure?.({ settings: { api_key: '  lvl_key_value \n', key_access: 'read_only' } } as never);
    expect(stored).toEqual({ api_key: 'lvl_key_value', key_access: 'read_only' });
  });

  it('the base URL is the host root: paths carry /v2 themselves, a base ending in /v2 is refused', () => {
    expect(levelUrl(levelBaseUrl('https://api.level.io'), '/v2/groups', { limit: '1' }).toString()).toBe('https://api.level.io/v2/groups?limit=1');
    expect(levelUrl(levelBaseUrl('https://api.level.io/'), '/v2/groups').toString()).toBe('https://api.level.io/v2/groups');
    expect(() => levelBaseUrl('https://api.level.io/v2/')).toThrow(/without \/v2/);
    expect(() => levelBaseUrl('ftp://api.level.io')).toThrow(/http\(s\)/);
  });
});
