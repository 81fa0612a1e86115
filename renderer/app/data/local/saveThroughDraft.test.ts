import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { openDesktop, SyncServer, type Desktop } from '../../../test/desktopWorld.js';
import { AppError } from '../../../../shared/errors.js';
import { saveThroughDraft } from './saveThroughDraft.js';

/** Every save is a draft first; these run it through the real core against the real server. */
let server: SyncServer;
let admin: Awaited<ReturnType<SyncServer['user']>>;
let desktop: Desktop | null = null;
const good = { subdomain: 'acme', api_token: 'tok-1234', region: 'eu' };

beforeAll(async () => {
  server = await SyncServer.start();
  admin = await server.user((await server.partner()).id);
});
afterEach(async () => {
  await desktop?.close();
  desktop = null;
  if (!server.app) await server.up();
  // Each test starts from a partner without a configuration.
  await server.rest('DELETE', '/api/integrations/testvendor', admin);
});
afterAll(() => server.close());

const open = async (reviewMode = false) => (desktop = await openDesktop(server.url, { signIn: admin, reviewMode }));
const serverSide = async () => (await server.rest('GET', '/api/integrations/testvendor', admin)).json() as { state: { status: string }; settings: Record<string, unknown> | null };

describe('saveThroughDraft', () => {
  test('online without review mode: applied on the server, the answer carries the new detail, no draft stays', async () => {
    const { client } = await open();
    const result = await saveThroughDraft(client, { key: 'testvendor', kind: 'configure', values: good });
    expect(result.outcome).toBe('applied');
    if (result.outcome === 'applied') expect(result.detail.settings).toMatchObject({ subdomain: 'acme', api_token: { isSet: true } });
    expect((await serverSide()).state.status).toBe('Configured');
    expect((await client.drafts.list.query()).filter((d) => d.state !== 'applied')).toEqual([]);
  });

  test('review mode keeps it a draft and the server unchanged', async () => {
    const { client } = await open(true);
    const result = await saveThroughDraft(client, { key: 'testvendor', kind: 'configure', values: good });
    expect(result).toMatchObject({ outcome: 'drafted', draft: { state: 'draft', kind: 'configure', typedSecrets: ['api_token'] } });
    expect((await serverSide()).state.status).toBe('Not Configured');
  });

  test('offline it stays a draft, and the next save updates the same draft keeping its kind', async () => {
    const { client, source } = await open();
    await server.down();
    await source.syncNow().catch(() => undefined);
    const first = await saveThroughDraft(client, { key: 'testvendor', kind: 'configure', values: good });
    if (!server.app) await server.up();
    const second = await saveThroughDraft(client, { key: 'testvendor', kind: 'reconfigure', values: { ...good, subdomain: 'acme-two' } });
    expect(first.outcome).toBe('drafted');
    // An open draft keeps the save a draft even online: the form was editing it.
    expect(second).toMatchObject({ outcome: 'drafted', draft: { kind: 'configure', values: { subdomain: 'acme-two' } } });
    if (first.outcome === 'drafted' && second.outcome === 'drafted') expect(second.draft.id).toBe(first.draft.id);
    expect((await serverSide()).state.status).toBe('Not Configured');
  });

  test('a refusal by the server’s rules throws its field errors and leaves no draft behind', async () => {
    const { client } = await open();
    const error = await saveThroughDraft(client, { key: 'testvendor', kind: 'configure', values: { ...good, webhook_secret: 'whs-1' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', fields: { 'settings.base_url': ['Set a base URL to receive webhooks'] } });
    expect((await client.drafts.list.query()).filter((d) => d.state !== 'applied')).toEqual([]);
  });

  test('a refusal by the core’s own check (a required field missing) leaves no draft behind either', async () => {
    const { client } = await open();
    await expect(saveThroughDraft(client, { key: 'testvendor', kind: 'configure', values: { subdomain: 'acme' } })).rejects.toMatchObject({ data: { error: { code: 'VALIDATION_FAILED' } } });
    expect((await client.drafts.list.query()).filter((d) => d.state !== 'applied')).toEqual([]);
  });

  test('a delete applies like a save: the answer is the integration Not Configured', async () => {
    await server.rest('POST', '/api/integrations/testvendor/configure', admin, { settings: good });
    const { client } = await open();
    const result = await saveThroughDraft(client, { key: 'testvendor', kind: 'delete', values: {} });
    expect(result.outcome).toBe('applied');
    if (result.outcome === 'applied') expect(result.detail.state.status).toBe('Not Configured');
    expect((await serverSide()).state.status).toBe('Not Configured');
  });
});
