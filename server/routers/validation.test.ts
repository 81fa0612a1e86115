import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../shared/integrations/fields.js';
import { bodyLimitBytes } from '../http/app.js';
import { testPluginFields } from '../integrations/testing/controllablePlugin.js';
import { createCatalogWorld, validSettings, type CatalogWorld } from '../test/catalogWorld.js';

describe('input validation', () => {
  let w: CatalogWorld;
  beforeAll(async () => {
    w = await createCatalogWorld();
  });
  afterAll(() => w.close());

  const configure = (body: unknown) => w.request('POST', '/api/integrations/testvendor/configure', w.a.admin, body);

  it('answers 400 with per-field messages for each field kind, required fields and unknown keys', async () => {
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{}, { 'settings.subdomain': ['Subdomain is required'], 'settings.api_token': ['API token is required'], 'settings.region': ['Region is required'] }],
      [validSettings({ subdomain: 'UPPER' }), { 'settings.subdomain': ['Use lowercase letters, digits and dashes'] }],
      [{ ...validSettings(), subdomain: 12 }, { 'settings.subdomain': ['Subdomain must be text'] }],
      [validSettings({ api_token: SECRET_MASK }), { 'settings.api_token': ['Enter the API token'] }],
      [validSettings({ region: 'mars' }), { 'settings.region': ['Choose one of: United States, Europe'] }],
      [validSettings({ base_url: 'javascript:alert(1)' }), { 'settings.base_url': ['Base URL must be an http(s) URL'] }],
      [{ ...validSettings(), verify_tls: 'true' }, { 'settings.verify_tls': ['Verify TLS must be true or false'] }],
      [validSettings({ notes: 'x'.repeat(201) }), { 'settings.notes': ['Notes must be at most 200 characters'] }],
      [validSettings({ subdomain: 'a'.repeat(5000) }), { 'settings.subdomain': ['Subdomain must be at most 4096 characters', 'Use lowercase letters, digits and dashes'] }],
      [{ ...validSettings(), surprise: 'x' }, { 'settings.surprise': ['Unknown field'] }],
      [validSettings({ webhook_secret: 'whsec_123' }), { 'settings.base_url': ['Set a base URL to receive webhooks'] }],
    ];
    for (const [settings, fields] of cases) {
      const res = await configure({ settings });
      expect(res.statusCode, JSON.stringify(settings).slice(0, 80)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', fields });
    }
    const { rows } = await w.server.deps.db.pool.query('SELECT 1 FROM integration_configurations');
    expect(rows).toEqual([]); // nothing half-written
  });

  it('answers 400 for a bad envelope: unknown keys, wrong types, too many settings', async () => {
    const bad = [
      { settings: validSettings(), extra: true },
      { settings: 'not an object' },
      { settings: [1, 2] },
      {},
      { settings: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'x'])) },
    ];
    for (const body of bad) expect((await configure(body)).statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
    await configure({ settings: validSettings() });
    const res = await w.request('POST', '/api/integrations/testvendor/reconfigure', w.a.admin, { settings: validSettings(), baseVersion: 'one' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['baseVersion']);
    expect((await w.request('GET', '/api/integrations/testvendor/audit?limit=0', w.a.admin)).json().error.fields).toHaveProperty('limit');
    for (const query of ['cursor=9999999999999999', 'limit=99999999999999999', 'cursor=-1', 'action=nope']) {
      expect((await w.request('GET', `/api/integrations/testvendor/audit?${query}`, w.a.admin)).statusCode, query).toBe(400);
    }
    expect((await w.request('GET', '/api/dev/partners/99999999999999999999/integrations', w.dev.admin)).statusCode).toBe(400);
    await w.server.deps.db.pool.query('DELETE FROM integration_configurations');
  });

  it('refuses bodies over the limit with 413 on REST and tRPC', async () => {
    const huge = JSON.stringify({ settings: { notes: 'x'.repeat(bodyLimitBytes) } });
    const rest = await w.server.app.inject({
      method: 'POST',
      url: '/api/integrations/testvendor/configure',
      headers: { authorization: w.a.admin.auth, 'content-type': 'application/json' },
      payload: huge,
    });
    expect(rest.statusCode).toBe(413);
    const trpc = await w.server.app.inject({
      method: 'POST',
      url: '/trpc/integrations.configure',
      headers: { authorization: w.a.admin.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ key: 'testvendor', settings: { notes: 'x'.repeat(bodyLimitBytes) } }),
    });
    expect(trpc.statusCode).toBe(413);
  });

  it('finds no 5xx for random input to any mutation (property-based)', async () => {
    await configure({ settings: validSettings() });
    const fieldKeys = testPluginFields.map((f) => f.key);
    const value = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constant(SECRET_MASK),
      fc.constant(''),
      fc.string({ minLength: 4090, maxLength: 4200 }),
      fc.anything(),
    );
    const settings = fc.dictionary(fc.oneof(fc.constantFrom(...fieldKeys), fc.string()), value, { maxKeys: 12 });
    const body = fc.oneof(
      fc.record({ settings, baseVersion: fc.oneof(fc.integer(), fc.string(), fc.constant(1)) }, { requiredKeys: [] }),
      fc.record({ settings, extra: fc.anything() }, { requiredKeys: ['settings'] }),
      fc.anything(),
      fc.json(),
    );
    const key = fc.oneof(fc.constantFrom('testvendor', 'otherbackup'), fc.string({ minLength: 1 }));
    const route = fc.constantFrom('configure', 'reconfigure', 'test', 'delete');
    const transport = fc.constantFrom('rest', 'trpc');
    const raw = fc.boolean();

    await fc.assert(
      fc.asyncProperty(route, key, body, transport, raw, async (r, k, b, t, sendRaw) => {
        // `raw` sends fast-check's own JSON text (or garbage) instead of serialising the value.
        const payload = sendRaw && typeof b === 'string' ? b : JSON.stringify(b);
        const headers = { authorization: w.a.admin.auth, 'content-type': 'application/json' };
        let res;
        if (t === 'rest') {
          const path = r === 'delete' ? `/api/integrations/${encodeURIComponent(k)}` : `/api/integrations/${encodeURIComponent(k)}/${r}`;
          res = await w.server.app.inject({ method: r === 'delete' ? 'DELETE' : 'POST', url: path, headers, ...(payload === undefined || r === 'delete' ? {} : { payload }) });
        } else {
          const input = b && typeof b === 'object' && !Array.isArray(b) ? { ...b, key: k } : b;
          res = await w.server.app.inject({ method: 'POST', url: `/trpc/integrations.${r}`, headers, payload: JSON.stringify(input) ?? '' });
        }
        expect(res.statusCode, `${t} ${r} ${k} ${payload?.slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json()).toHaveProperty('error');
        // Keep something to edit: a lucky random delete must not end the interesting part.
        if (r === 'delete' && res.statusCode === 200) await configure({ settings: validSettings() });
      }),
      { numRuns: 300 },
    );
    expect(w.server.logs.lines.filter((l) => l.includes('"level":50'))).toEqual([]);
  });

  it('finds no 5xx for random query strings and paths on the reads (property-based)', async () => {
    const param = fc.oneof(fc.string(), fc.constantFrom('9999999999999999', '-1', '0', '1e3', 'Psa', 'tested', ''), fc.bigInt().map(String));
    const name = fc.constantFrom('q', 'category', 'cursor', 'limit', 'action', 'partnerId', 'key');
    const query = fc.array(fc.tuple(name, param), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());
    const segment = fc.oneof(fc.constantFrom('testvendor', String(w.a.id), '0', '99999999999999999999'), fc.string({ minLength: 1 }));
    const path = fc.oneof(
      fc.constant('/api/integrations'),
      segment.map((k) => `/api/integrations/${encodeURIComponent(k)}`),
      segment.map((k) => `/api/integrations/${encodeURIComponent(k)}/audit`),
      fc.constant('/api/dev/partners'),
      fc.tuple(segment, segment).map(([p, k]) => `/api/dev/partners/${encodeURIComponent(p)}/integrations/${encodeURIComponent(k)}/audit`),
    );
    const who = fc.constantFrom(w.a.tech, w.dev.admin);
    await fc.assert(
      fc.asyncProperty(path, query, who, async (p, q, user) => {
        const res = await w.request('GET', `${p}?${q}`, user);
        expect(res.statusCode, `${p}?${q} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});
