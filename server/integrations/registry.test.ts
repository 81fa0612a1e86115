import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, RegistryError, shippedPlugins } from './registry.js';
import { createControllablePlugin } from './testing/controllablePlugin.js';
import type { IntegrationPlugin } from './types.js';

const plugin = (overrides: Partial<IntegrationPlugin['meta']> = {}): IntegrationPlugin => {
  const base = createControllablePlugin().plugin;
  return { ...base, meta: { ...base.meta, ...overrides } };
};

const problems = (plugins: IntegrationPlugin[]) => {
  try {
    createRegistry(plugins);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
    return (error as Error).message;
  }
};

describe('integration registry', () => {
  it('indexes valid plugins in order with their schemas and secret fields', () => {
    const registry = createRegistry([plugin(), plugin({ key: 'second', name: 'Second', category: 'Backup' })]);
    expect(registry.list().map((i) => i.entry.key)).toEqual(['testvendor', 'second']);
    const entry = registry.get('testvendor');
    expect(entry?.entry.links).toEqual([]);
    expect([...(entry?.secretFields ?? [])]).toEqual(['api_token', 'webhook_secret']);
    expect(entry?.schemas.create.safeParse({ subdomain: 'a', api_token: 't', region: 'us' }).success).toBe(true);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('derives the catalog capabilities from what the plugin implements, never from its meta', () => {
    const base = plugin();
    const discovering: IntegrationPlugin = { ...plugin({ key: 'discovering' }), listOrganizations: () => Promise.resolve({ items: [], nextCursor: null }) };
    const registry = createRegistry([base, discovering]);
    expect(registry.get('testvendor')?.entry.capabilities).toEqual(['health']);
    expect(registry.get('discovering')?.entry.capabilities).toEqual(['health', 'organizations']);
    const shipped = createRegistry(shippedPlugins);
    expect(shipped.list().map((i) => [i.entry.key, i.entry.capabilities])).toEqual([
      ['syncro', ['health', 'organizations', 'actions']],
      ['msp360', ['health', 'organizations', 'actions']],
      ['huntress', ['health', 'organizations', 'actions']],
      ['tacticalrmm', ['health', 'organizations', 'actions']],
      ['levelio', ['health', 'organizations', 'actions']],
      ['ninjaone', ['health', 'organizations', 'actions', 'oauth']],
      ['teams', ['health', 'actions', 'oauth']],
      ['microsoft365', ['health', 'organizations', 'actions', 'oauth']],
    ]);
  });

  it('refuses duplicate keys and insane specs at start-up, listing every problem', () => {
    const text = { key: 'x', label: 'X', kind: 'Text' as const, required: false, help: '' };
    const message = problems([
      plugin(),
      plugin(),
      plugin({ key: 'Bad Key' }),
      plugin({ key: 'twice', fields: [text, text] }),
      plugin({ key: 'regex', fields: [{ ...text, pattern: { regex: '([', message: 'm' } }] }),
      plugin({ key: 'options', fields: [{ key: 's', label: 'S', kind: 'Select', required: true, help: '', options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] }] }),
      plugin({ key: 'category', category: 'Toys' as never }),
      plugin({ key: 'docs', docsUrl: 'not a url' }),
      { ...plugin({ key: 'nohealth' }), healthCheck: undefined as never },
    ]);
    for (const expected of [
      'key "testvendor" is already registered',
      'plugin 3 (Bad Key): key',
      'field "x" appears twice',
      'field "x" has a pattern that is not a regular expression',
      'field "s" repeats an option value',
      'plugin 7 (category): category',
      'plugin 8 (docs): docsUrl',
      'plugin 9 (nohealth): validate and healthCheck must be functions',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('sends a checked logo as a data URI and refuses a plugin whose logo could run or fetch anything', () => {
    const ns = 'xmlns="http://www.w3.org/2000/svg"';
    const withLogo = (key: string, logoSvg: string): IntegrationPlugin => ({ ...plugin({ key }), logoSvg });
    const registry = createRegistry([withLogo('drawn', `<svg ${ns}><!-- note --><circle r="4"/></svg>`), plugin({ key: 'plain' })]);
    const logo = registry.get('drawn')?.entry.logo ?? '';
    expect(Buffer.from(logo.replace('data:image/svg+xml;base64,', ''), 'base64').toString()).toBe(`<svg ${ns}><circle r="4"/></svg>`);
    expect(registry.get('plain')?.entry.logo).toBeNull();

    const message = problems([withLogo('scripted', `<svg ${ns} onload="alert(1)"><script>x</script></svg>`), withLogo('linked', `<svg ${ns}><image href="https://evil.example/a.png"/></svg>`)]);
    expect(message).toContain('plugin 1 (scripted): logo: event handler "onload" on <svg> is not allowed');
    expect(message).toContain('plugin 1 (scripted): logo: element <script> is not allowed');
    expect(message).toContain('plugin 2 (linked): logo: link "href" on <image> is not allowed');
  });

  it('ships every plugin with a logo that passes the check and the vendor permissions it needs', () => {
    const shipped = createRegistry(shippedPlugins);
    for (const { entry } of shipped.list()) {
      expect(entry.logo, entry.key).toMatch(/^data:image\/svg\+xml;base64,/);
      expect(entry.requirements.length, entry.key).toBeGreaterThan(0);
    }
    // The permissions Syncro's health check names when one is missing (health.ts) are the ones listed.
    expect(shipped.get('syncro')?.entry.requirements).toEqual(expect.arrayContaining(['Token permission “Customers - List/Search”', 'Token permission “Tickets - List/Search”']));
    expect(shipped.get('msp360')?.entry.requirements.join(' ')).toContain('API credentials');
    // Level cannot tell a key's access: the catalog says which actions need "Read & write".
    expect(shipped.get('levelio')?.entry.requirements.join(' ')).toContain('Read & write');
    expect(shipped.get('huntress')?.entry.requirements.join(' ')).toContain('user-based API key');
  });

  it('ships only real plugins: nothing from the testing folder', () => {
    expect(() => createRegistry(shippedPlugins)).not.toThrow();
    for (const p of shippedPlugins) expect(['testvendor', 'otherbackup']).not.toContain(p.meta.key);
  });
});

describe('integration registry: actions (issue 15)', () => {
  const action = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    label: 'Do it',
    description: 'Does it',
    sideEffectful: false,
    clientScoped: false,
    input: z.strictObject({ ticketId: z.string().default('1') }),
    output: z.object({ ok: z.boolean() }),
    run: () => Promise.resolve({ output: { ok: true } }),
    ...extra,
  });
  const withActions = (key: string, actions: unknown[]): IntegrationPlugin => ({ ...plugin({ key }), actions: actions as never });

  it('indexes actions by id with JSON Schemas computed once, and records the capability', () => {
    const registry = createRegistry([withActions('desk', [action('desk.tickets.get'), action('desk.tickets.comment', { sideEffectful: true })])]);
    const entry = registry.get('desk');
    expect(entry?.entry.capabilities).toEqual(['health', 'actions']);
    expect([...(entry?.capabilities ?? [])]).toEqual(['actions']);
    expect([...(entry?.actions.keys() ?? [])]).toEqual(['desk.tickets.get', 'desk.tickets.comment']);
    // Input as a caller sends it (the default makes the field optional); output as it comes back.
    expect(entry?.actions.get('desk.tickets.get')?.inputJsonSchema).toMatchObject({ type: 'object', properties: { ticketId: { type: 'string', default: '1' } }, additionalProperties: false });
    expect(entry?.actions.get('desk.tickets.get')?.inputJsonSchema.required).toBeUndefined();
    expect(entry?.actions.get('desk.tickets.get')?.outputJsonSchema).toMatchObject({ type: 'object', required: ['ok'] });
    expect(registry.get('testvendor')).toBeUndefined();
    expect(createRegistry([plugin()]).get('testvendor')?.actions.size).toBe(0);
  });

  it('refuses malformed, foreign, repeated or incomplete actions at start-up, listing every problem', () => {
    const message = problems([
      withActions('desk', [
        action('desk.tickets'),
        action('other.tickets.get'),
        action('desk.tickets.get'),
        action('desk.tickets.get'),
        action('desk.tickets.nolabel', { label: '' }),
        action('desk.tickets.noschema', { input: { parse: () => ({}) } }),
        action('desk.tickets.norun', { run: 'yes' }),
        action('desk.tickets.flags', { sideEffectful: 'yes' }),
      ]),
    ]);
    for (const expected of [
      'action "desk.tickets": id must be desk.noun.verb',
      'action "other.tickets.get": id must be desk.noun.verb',
      'action "desk.tickets.get": id appears twice',
      'action "desk.tickets.nolabel": label and description must be text',
      'action "desk.tickets.noschema": input and output must be zod schemas',
      'action "desk.tickets.norun": run must be a function',
      'action "desk.tickets.flags": sideEffectful and clientScoped must be true or false',
    ]) expect(message).toContain(expected);
  });
});
