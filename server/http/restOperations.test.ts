import { initTRPC, TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from '../routers/index.js';
import type { ProcedureMeta, RestMeta } from '../trpc/meta.js';
import { callProcedure, restInput, restOperations } from './restOperations.js';

const t = initTRPC.meta<ProcedureMeta>().create();
const get = (path: string): { openapi: RestMeta } => ({ openapi: { method: 'GET', path, summary: 'Read', tag: 'integrations' } });
const keyInput = z.object({ key: z.string(), limit: z.coerce.number().optional() });
const echo = z.object({ key: z.string() });

describe('REST operations read from the procedures', () => {
  it('serves the documented REST surface, each route on the procedure it always called', () => {
    const routes = restOperations(appRouter).map((op) => ({
      route: `${op.method} ${op.path}`,
      procedure: op.procedure,
      status: op.successStatus ?? 200,
      input: op.input !== undefined,
      public: op.public === true,
    }));
    const route = (r: string, procedure: string, input: boolean, extra: { status?: number; public?: boolean } = {}) => ({
      route: r,
      procedure,
      status: extra.status ?? 200,
      input,
      public: extra.public ?? false,
    });
    // The surface README.md documents, in router order; a procedure without meta.openapi is tRPC only.
    expect(routes).toEqual([
      route('POST /api/auth/login', 'auth.login', true, { public: true }),
      route('GET /api/auth/me', 'auth.me', false),
      route('GET /api/integrations', 'integrations.list', true),
      route('GET /api/integrations/:key', 'integrations.get', true),
      route('POST /api/integrations/:key/configure', 'integrations.configure', true, { status: 201 }),
      route('POST /api/integrations/:key/reconfigure', 'integrations.reconfigure', true),
      route('POST /api/integrations/:key/test', 'integrations.test', true),
      route('DELETE /api/integrations/:key', 'integrations.delete', true),
      route('GET /api/integrations/:key/audit', 'integrations.audit', true),
      route('GET /api/integrations/:key/versions', 'integrations.versions', true),
      route('POST /api/integrations/:key/rollback', 'integrations.rollback', true),
      route('GET /api/integrations/:key/credential-age', 'integrations.credentialAge', true),
      route('GET /api/dev/partners', 'dev.partners', false),
      route('GET /api/dev/partners/:partnerId/integrations', 'dev.integrations', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key', 'dev.integration', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key/audit', 'dev.audit', true),
      route('GET /api/mspbackups/config', 'mspbackups.config', false),
      route('PUT /api/mspbackups/config', 'mspbackups.saveConfig', true),
      route('GET /api/mspbackups/companies', 'mspbackups.companies', false),
      route('GET /api/integrations/:key/health-history', 'health.history', true),
      route('GET /api/integrations/:key/checks', 'health.checks', true),
      route('GET /api/alerts', 'health.alerts', true),
      route('GET /api/alerts/credential-policy', 'health.credentialPolicy', false),
      route('PUT /api/alerts/credential-policy', 'health.setCredentialPolicy', true),
      route('GET /api/alerts/webhook', 'health.webhook', false),
      route('PUT /api/alerts/webhook', 'health.setWebhook', true),
      route('POST /api/alerts/webhook/rotate-secret', 'health.rotateWebhookSecret', false),
      route('GET /api/alerts/webhook/deliveries', 'health.webhookDeliveries', true),
      route('DELETE /api/alerts/webhook', 'health.clearWebhook', false),
      route('POST /api/alerts/webhook/test', 'health.testWebhook', false),
      route('GET /api/dev/fleet', 'health.fleet', true),
      route('GET /api/clients', 'clients.list', true),
      route('POST /api/clients', 'clients.create', true, { status: 201 }),
      route('POST /api/clients/:id/rename', 'clients.rename', true),
      route('POST /api/clients/:id/archive', 'clients.archive', true),
      route('GET /api/clients/audit', 'clients.audit', true),
      route('GET /api/dev/partners/:partnerId/clients', 'clients.devList', true),
      route('GET /api/integrations/:key/mappings', 'mappings.byIntegration', true),
      route('GET /api/clients/:clientId/mappings', 'mappings.byClient', true),
      route('POST /api/integrations/:key/mappings', 'mappings.create', true, { status: 201 }),
      route('DELETE /api/integrations/:key/mappings/:externalOrgId', 'mappings.delete', true),
      route('POST /api/integrations/:key/mappings/apply', 'mappings.applyBatch', true),
      route('POST /api/integrations/:key/mappings/suggest', 'mappings.suggest', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key/mappings', 'mappings.devByIntegration', true),
      route('POST /api/integrations/:key/discovery', 'discovery.start', true, { status: 202 }),
      route('GET /api/integrations/:key/discovery', 'discovery.run', true),
      route('GET /api/integrations/:key/organizations', 'discovery.snapshot', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key/discovery', 'discovery.devRun', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key/organizations', 'discovery.devSnapshot', true),
      route('GET /api/actions', 'actions.list', true),
      route('POST /api/actions/:actionId/run', 'actions.run', true),
      route('GET /api/clients/:clientId/ticket-links', 'ticketLinks.byClient', true),
      route('POST /api/clients/:clientId/ticket-links', 'ticketLinks.create', true, { status: 201 }),
      route('DELETE /api/ticket-links/:id', 'ticketLinks.delete', true),
      route('POST /api/clients/:clientId/ticket-links/refresh', 'ticketLinks.refresh', true),
      route('GET /api/dev/partners/:partnerId/clients/:clientId/ticket-links', 'ticketLinks.devByClient', true),
      route('GET /api/integrations/:key/interactions', 'interactions.list', true),
      route('GET /api/interactions/:id', 'interactions.get', true),
      route('GET /api/dev/partners/:partnerId/integrations/:key/interactions', 'interactions.devList', true),
      route('GET /api/dev/partners/:partnerId/interactions/:id', 'interactions.devGet', true),
      route('GET /api/integrations/:key/connection', 'oauth.connection', true),
      route('POST /api/integrations/:key/connection/start', 'oauth.start', true),
      route('POST /api/integrations/:key/connection/complete', 'oauth.complete', true),
      route('POST /api/integrations/:key/connection/consent/start', 'oauth.consentStart', true),
      route('POST /api/integrations/:key/connection/consent/complete', 'oauth.consentComplete', true),
      route('DELETE /api/integrations/:key/connection', 'oauth.disconnect', true),
      route('GET /api/maintenance-windows', 'maintenance.list', true),
      route('POST /api/maintenance-windows', 'maintenance.create', true, { status: 201 }),
      route('POST /api/maintenance-windows/:id/end', 'maintenance.end', true),
      route('GET /api/integrations/:key/inbound', 'inboundWebhooks.endpoint', true),
      route('POST /api/integrations/:key/inbound', 'inboundWebhooks.rotate', true),
      route('DELETE /api/integrations/:key/inbound', 'inboundWebhooks.delete', true),
      route('GET /api/integrations/:key/inbound/deliveries', 'inboundWebhooks.deliveries', true),
      route('POST /api/integrations/:key/inbound/deliveries/:id/replay', 'inboundWebhooks.replay', true),
      route('GET /api/automations', 'automations.list', false),
      route('GET /api/automations/:id', 'automations.get', true),
      route('GET /api/automations/:id/versions', 'automations.versions', true),
      route('POST /api/automations', 'automations.create', true, { status: 201 }),
      route('PUT /api/automations/:id', 'automations.update', true),
      route('PUT /api/automations/:id/enabled', 'automations.setEnabled', true),
      route('DELETE /api/automations/:id', 'automations.delete', true),
      route('POST /api/automations/:id/run', 'automations.runNow', true, { status: 202 }),
      route('GET /api/automation-runs', 'automations.runs', true),
      route('GET /api/automation-runs/:runId', 'automations.run', true),
      route('POST /api/automation-runs/:runId/rerun', 'automations.rerun', true, { status: 202 }),
      route('POST /api/automation-runs/:runId/replay', 'automations.replay', true, { status: 202 }),
      route('GET /api/automation-recipes', 'automations.recipes', false),
      route('GET /api/dev/partners/:partnerId/automations', 'automations.devList', true),
      route('GET /api/dev/partners/:partnerId/automation-runs', 'automations.devRuns', true),
      route('GET /api/dev/partners/:partnerId/automation-runs/:runId', 'automations.devRun', true),
      route('POST /api/automation-recipes/:recipeId/add', 'automations.addRecipe', true, { status: 201 }),
      route('GET /api/access-tokens', 'accessTokens.list', false),
      route('POST /api/access-tokens', 'accessTokens.create', true, { status: 201 }),
      route('DELETE /api/access-tokens/:id', 'accessTokens.revoke', true),
    ]);
  });

  it('ignores procedures without a route and drops inputs that have no fields', () => {
    const router = t.router({
      internal: t.procedure.input(echo).query(({ input }) => input),
      ping: t.procedure
        .input(z.strictObject({}).optional())
        .output(z.object({ ok: z.boolean() }))
        .meta({ openapi: { method: 'POST', path: '/api/ping', summary: 'Ping', tag: 'health' } })
        .mutation(() => ({ ok: true })),
    });
    const [ping, ...rest] = restOperations(router);
    expect(rest).toEqual([]);
    expect(ping?.procedure).toBe('ping');
    expect(ping?.input).toBeUndefined();
  });

  it('refuses at boot a route that could not work', () => {
    const noOutput = t.router({ a: t.procedure.input(echo).meta(get('/api/a/:key')).query(({ input }) => input) });
    expect(() => restOperations(noOutput)).toThrow(/GET \/api\/a\/:key \(a\): a REST route needs the procedure's \.output\(\) zod schema/);

    const missingParam = t.router({ a: t.procedure.input(echo).output(echo).meta(get('/api/a/:id')).query(({ input }) => input) });
    expect(() => restOperations(missingParam)).toThrow(/path parameters id are not input fields/);

    const twice = t.router({
      a: t.procedure.input(echo).output(echo).meta(get('/api/x/:key')).query(({ input }) => input),
      b: t.procedure.input(echo).output(echo).meta(get('/api/x/:key')).query(({ input }) => input),
    });
    expect(() => restOperations(twice)).toThrow('GET /api/x/:key is declared by both a and b');

    const badPath = t.router({ a: t.procedure.output(echo).meta(get('/v2/a')).query(() => ({ key: 'k' })) });
    expect(() => restOperations(badPath)).toThrow();
  });
});

describe('restInput', () => {
  const [op] = restOperations(
    t.router({ a: t.procedure.input(keyInput).output(keyInput).meta(get('/api/a/:key')).query(({ input }) => input) }),
  );
  const [post] = restOperations(
    t.router({
      a: t.procedure
        .input(keyInput)
        .output(keyInput)
        .meta({ openapi: { method: 'POST', path: '/api/a/:key', summary: 'Write', tag: 'integrations' } })
        .mutation(({ input }) => input),
    }),
  );

  it('reads the query of a GET and the body of a POST, path parameters winning over both', () => {
    if (!op || !post) throw new Error('no operation');
    expect(restInput(op, { params: { key: 'url' }, query: { key: 'query', limit: '5' }, body: { key: 'body' } })).toEqual({ key: 'url', limit: '5' });
    expect(restInput(post, { params: { key: 'url' }, query: { limit: '5' }, body: { key: 'body', limit: 2 } })).toEqual({ key: 'url', limit: 2 });
    expect(restInput(post, { params: { key: 'url' }, query: {}, body: ['not', 'an', 'object'] })).toEqual({ key: 'url' });
    expect(restInput(post, { params: {}, query: {}, body: { key: 'body' } })).toEqual({ key: 'body' });
  });
});

describe('callProcedure', () => {
  const router = t.router({
    nested: t.router({ echo: t.procedure.input(keyInput).output(keyInput).query(({ input }) => input) }),
  });

  it('calls a procedure by its dotted path, validating like tRPC', async () => {
    expect(await callProcedure(router, {}, 'nested.echo', { key: 'k', limit: '3' })).toEqual({ key: 'k', limit: 3 });
    const refused = callProcedure(router, {}, 'nested.echo', { limit: 'x' });
    await expect(refused).rejects.toBeInstanceOf(TRPCError);
    await expect(refused).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
