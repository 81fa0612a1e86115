import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutomationWorld, commentAutomation, type AutomationWorld } from '../../test/automationWorld.js';
import { recipes } from './recipes.js';
import { typeCheck } from './typecheck.js';
import { automationDefinitionSchema } from '../../../shared/automations.js';
import { createRegistry, shippedPlugins } from '../../integrations/registry.js';

let w: AutomationWorld;
const count = async () => Number((await w.server.deps.db.pool.query('SELECT count(*)::int AS n FROM automations')).rows[0].n);

beforeAll(async () => {
  w = await createAutomationWorld();
  await w.configure(w.a.admin);
}, 60_000);
afterAll(() => w.close());

/** The automation with one change to its second step. */
const withPost = (post: Record<string, unknown>) => {
  const a = commentAutomation();
  return { ...a, steps: [a.steps[0], { ...a.steps[1], ...post }] };
};

describe('saving an automation type-checks every step (nothing is saved on error)', () => {
  it('saves a well-typed automation with version 1 and audits it', async () => {
    const res = await w.call(w.a.admin, 'mutation', 'create', commentAutomation('Well typed'));
    expect(res.status, res.res.body).toBe(200);
    expect(res.data).toMatchObject({ name: 'Well typed', version: 1, enabled: true });
    const versions = await w.call(w.a.admin, 'query', 'versions', { id: (res.data as { id: number }).id });
    expect(versions.data).toMatchObject({ items: [{ version: 1, change: 'created' }] });
  });

  it.each([
    ['a template that does not parse', { input: { ticketId: '{{steps.read.output.ticket.id', body: 'x {{ $$$ ( }}' } }, 'steps.1.input.body', /Step post, input\.body: Template does not parse/],
    ['a regular expression', { input: { ticketId: '101', body: '{{$replace(steps.read.output.ticket.subject, /(a+)+$/, "")}}' } }, 'steps.1.input.body', /Step post, input\.body: Templates cannot use regular expressions/],
    ['an unknown step', { input: { ticketId: '{{steps.nothere.output.id}}', body: 'x' } }, 'steps.1.input.ticketId', /refers to step nothere, which is not an earlier step/],
    ['a later step', { input: { ticketId: '101', body: '{{steps.post.output.commentId}}' } }, 'steps.1.input.body', /refers to step post/],
    ['the wrong type', { input: { ticketId: '101', body: '{{steps.read.output.ticket}}' } }, 'steps.1.input.body', /the template gives the wrong type/],
    ['an unknown field', { input: { ticketId: '101', body: 'x', colour: 'red' } }, 'steps.1.input.colour', /has no such input/],
    ['a missing required input', { input: { ticketId: '101' } }, 'steps.1.input.body', /required by ticketdesk\.tickets\.comment/],
    ['a field nobody produces', { input: { ticketId: '{{trigger.client.id}}', body: 'x' } }, 'steps.1.input.ticketId', /reads nothing/],
    ['an unknown action', { actionId: 'ticketdesk.tickets.explode' }, 'steps.1.actionId', /there is no action/],
  ])('refuses %s with a 400 naming the step and field', async (_what, post, field, message) => {
    const before = await count();
    const res = await w.call(w.a.admin, 'mutation', 'create', withPost(post));
    expect(res.status, res.res.body).toBe(400);
    expect(res.error?.fields?.[field]?.join(' ')).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('refuses a cron that does not parse, and an unknown time zone', async () => {
    const base = { ...commentAutomation(), trigger: { kind: 'schedule', cron: '99 * * * *', timeZone: 'Europe/Paris' } };
    const bad = await w.call(w.a.admin, 'mutation', 'create', base);
    expect(bad.status).toBe(400);
    expect(bad.error?.fields?.['trigger.cron']?.[0]).toMatch(/Cron does not parse/);
    const zone = await w.call(w.a.admin, 'mutation', 'create', { ...base, trigger: { kind: 'schedule', cron: '0 7 * * 1-5', timeZone: 'Mars/Olympus' } });
    expect(zone.error?.fields?.['trigger.timeZone']?.[0]).toMatch(/Unknown time zone/);
    const good = await w.call(w.a.admin, 'mutation', 'create', { ...base, trigger: { kind: 'schedule', cron: '0 7 * * 1-5', timeZone: 'Europe/Paris' } });
    expect(good.status, good.res.body).toBe(200);
    // 07:00 in Paris is 06:00 UTC in winter.
    expect(new Date((good.data as { nextRunAt: string }).nextRunAt).getUTCHours()).toBe(6);
  });

  it('refuses a recursive trigger: a webhook of an integration the automation writes to without a condition', async () => {
    const loop = { ...commentAutomation(), trigger: { kind: 'inbound', integrationKey: 'ticketdesk' }, steps: [{ name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body: 'again' } }] };
    const res = await w.call(w.a.admin, 'mutation', 'create', loop);
    expect(res.status).toBe(400);
    expect(res.error?.fields?.['steps.0.actionId']?.[0]).toMatch(/would trigger itself/);
    const guarded = { ...loop, steps: [{ ...loop.steps[0], condition: 'trigger.payload.kind = "alert"' }] };
    expect((await w.call(w.a.admin, 'mutation', 'create', guarded)).status).toBe(200);
  });

  it('holds a health trigger to its null message on recovery: alone it cannot fill a text input; in text it can', async () => {
    const onHealth = (on: string[], body: string) => ({
      ...commentAutomation('Health message'),
      trigger: { kind: 'health', integrationKey: 'ticketdesk', on },
      steps: [{ name: 'post', actionId: 'ticketdesk.tickets.comment', input: { ticketId: '101', body } }],
    });
    const before = await count();
    const recovery = await w.call(w.a.admin, 'mutation', 'create', onHealth(['error', 'recovered'], '{{trigger.message}}'));
    expect(recovery.status, recovery.res.body).toBe(400);
    expect(recovery.error?.fields?.['steps.0.input.body']?.join(' ')).toMatch(/Step post, input\.body: the template gives the wrong type .*null.* \(on recovery trigger\.message is null\)/);
    expect(await count()).toBe(before);
    // Errors only: the message is there whenever the trigger fires.
    expect((await w.call(w.a.admin, 'mutation', 'create', onHealth(['error'], '{{trigger.message}}'))).status).toBe(200);
    // In text a null renders as nothing; a default covers it too.
    expect((await w.call(w.a.admin, 'mutation', 'create', onHealth(['recovered'], 'Back: {{trigger.message}}'))).status).toBe(200);
    expect((await w.call(w.a.admin, 'mutation', 'create', onHealth(['recovered'], '{{trigger.message ? trigger.message : "recovered"}}'))).status).toBe(200);
  });

  it('lets a technician read but not save, and the dev partner not save', async () => {
    expect((await w.call(w.a.tech, 'mutation', 'create', commentAutomation())).status).toBe(403);
    expect((await w.call(w.dev.admin, 'mutation', 'create', commentAutomation())).status).toBe(403);
    expect((await w.call(w.a.tech, 'query', 'list')).status).toBe(200);
  });

  it('updates with optimistic concurrency: a stale base version is a 409 and saves nothing', async () => {
    const created = (await w.call(w.a.admin, 'mutation', 'create', commentAutomation('Versioned'))).data as { id: number };
    const first = await w.call(w.a.admin, 'mutation', 'update', { ...commentAutomation('Versioned v2'), enabled: undefined, id: created.id, baseVersion: 1 });
    expect(first.status, first.res.body).toBe(200);
    expect(first.data).toMatchObject({ version: 2, name: 'Versioned v2' });
    const stale = await w.call(w.a.admin, 'mutation', 'update', { ...commentAutomation('Versioned v3'), enabled: undefined, id: created.id, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(((await w.call(w.a.admin, 'query', 'get', { id: created.id })).data as { name: string }).name).toBe('Versioned v2');
  });
});

describe('over REST (the same procedures, routes from their meta)', () => {
  it('answers a template that does not parse with a 400 in the REST shape naming the step and field, saving nothing', async () => {
    const before = await count();
    const res = await w.request('POST', '/api/automations', w.a.admin, withPost({ input: { ticketId: '101', body: 'x {{ $$$ ( }}' } }));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields['steps.1.input.body'].join(' ')).toMatch(/Step post, input\.body: Template does not parse/);
    expect(await count()).toBe(before);
  });

  it('creates (201), edits with the id from the path, disables and refuses to run a disabled automation (409)', async () => {
    const created = await w.request('POST', '/api/automations', w.a.admin, commentAutomation('Over REST'));
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: number };
    // A body naming another id cannot redirect the call: the path wins.
    const edited = await w.request('PUT', `/api/automations/${id}`, w.a.admin, { ...commentAutomation('Over REST v2'), enabled: undefined, id: id + 1000, baseVersion: 1 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ id, version: 2, name: 'Over REST v2' });
    const off = await w.request('PUT', `/api/automations/${id}/enabled`, w.a.admin, { enabled: false, baseVersion: 2 });
    expect(off.json()).toMatchObject({ enabled: false });
    const run = await w.request('POST', `/api/automations/${id}/run`, w.a.admin, { input: { note: 'x' } });
    expect(run.statusCode).toBe(409);
    expect(run.json().error.message).toMatch(/disabled/);
    const runs = await w.request('GET', `/api/automation-runs?automationId=${id}&limit=5`, w.a.admin);
    expect(runs.json()).toEqual({ items: [], nextBefore: null });
  });
});

describe('recipes', () => {
  it('each recipe type-checks against the shipped actions as it is shipped', async () => {
    const registry = createRegistry(shippedPlugins);
    for (const recipe of recipes) await expect(typeCheck(automationDefinitionSchema.parse(recipe.definition), registry), recipe.id).resolves.toBeUndefined();
  });
});
