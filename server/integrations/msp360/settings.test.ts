import { afterAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/integrations/fields.js';
import { createMsp360Plugin } from './index.js';

const plugin = createMsp360Plugin();
const acme = { api_login: 'acme-api', api_password: 'a-password-of-the-right-length' };
const password = acme.api_password;
afterAll(async () => {
  await plugin.close();
});

describe('MSP360 settings', () => {
  const schema = () => settingsSchema(plugin.meta.fields, 'create');

  it('declares the fields of the issue', () => {
    expect(plugin.meta).toMatchObject({ key: 'msp360', category: 'Backup' });
    expect(plugin.meta.fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['api_login', 'Text', true],
      ['api_password', 'Secret', true],
      ['enabled', 'Bool', false],
    ]);
  });

  it('accepts a login and a 3–100 character password, refuses the rest', () => {
    expect(schema().safeParse(acme).success).toBe(true);
    expect(plugin.validate(acme)).toBeNull();
    for (const bad of [{ api_login: 'two words', api_password: password }, { api_login: 'x', api_password: 'pw' }, { api_login: '', api_password: '' }, { api_login: 'x', api_password: 'a'.repeat(101) }]) {
      expect(schema().safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      expect(plugin.validate(bad), JSON.stringify(bad)).not.toBeNull();
    }
    expect(plugin.validate({ api_login: '', api_password: 'pw' })).toEqual({
      api_login: ['API login is required'],
      api_password: ['The API password has 3 to 100 characters on one line'],
    });
  });
});
