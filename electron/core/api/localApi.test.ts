import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTRPCClient, unstable_localLink } from '@trpc/client';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { local } from '../../../renderer/app/data/local/localErrors.js';
import { makeUser } from '../../../server/test/factories.js';
import { AppError } from '../../../shared/errors.js';
import { aesGcmSecretBox } from '../secrets/secretBox.js';
import { httpServerClient } from '../session/serverClient.js';
import { DesktopSession } from '../session/session.js';
import { memoryTokenStore } from '../session/tokenStore.js';
import { trpcSyncTransport } from '../sync/trpcTransport.js';
import { auditChange, syncroDetail } from '../test/fixtures.js';
import { listeningServer } from '../test/realServer.js';
import { seedMirror } from '../test/seed.js';
import { applyChange } from '../cache/pulledCatalog.js';
import { createLocalServices } from './localServices.js';
import { localRouter, type LocalRouter } from './router.js';
import { createLocalCallerFactory } from './trpc.js';

let real: Awaited<ReturnType<typeof listeningServer>>;
let dir: string;
let session: DesktopSession;
const box = aesGcmSecretBox(Buffer.alloc(32, 3));
const createCaller = createLocalCallerFactory(localRouter);
let api: ReturnType<typeof createCaller>;

beforeAll(async () => {
  real = await listeningServer();
  dir = await mkdtemp(path.join(tmpdir(), 'ic-local-api-'));
  session = new DesktopSession({
    dataDir: dir,
    serverUrl: real.url,
    tokenStore: memoryTokenStore(),
    secretBox: box,
    server: httpServerClient({ serverUrl: real.url }),
    createTransport: (t) => trpcSyncTransport({ serverUrl: real.url, ...t }),
    engineOptions: { backoff: { baseMs: 60_000, maxMs: 60_000 } },
  });
  api = createCaller({ services: createLocalServices(session, box), checkCaller: () => undefined });
});
afterAll(async () => {
  await session.close();
  await real.close();
  await rm(dir, { recursive: true, force: true });
});

describe('local API', () => {
  it('asks to sign in before showing anything', async () => {
    await expect(api.catalog.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('serves the cached catalog with drafts, and the draft lifecycle', async () => {
    await api.session.login({ email: real.admin.email, password: real.admin.password });
    const { db, engine } = session.requireWritable();
    // Let the first sync land first; the fixtures below then stand in for server data.
    await engine.requestSync();
    seedMirror(db, syncroDetail({ version: 2 }), { ...syncroDetail({ version: null }), key: 'msp360', name: 'MSP360', docsUrl: 'https://help.msp360.com/x' });
    db.transaction(() => [1, 2, 3].forEach((id) => applyChange(db, auditChange(id, 10 + id))))();

    const draft = await api.drafts.save({ integrationKey: 'syncro', kind: 'reconfigure', values: { subdomain: 'beta', api_token: 'typed-secret-1' } });
    expect(draft.typedSecrets).toEqual(['api_token']);
    expect(JSON.stringify(await api.drafts.list())).not.toContain('typed-secret-1');
    const list = await api.catalog.list();
    expect(list.map((c) => [c.key, c.draft?.state ?? null])).toEqual([
      ['huntress', null],
      ['levelio', null],
      ['microsoft365', null],
      ['teams', null],
      ['msp360', null],
      ['ninjaone', null],
      ['syncro', 'draft'],
      ['tacticalrmm', null],
    ]);
    expect(list[0]).not.toHaveProperty('fields');

    await api.drafts.review({ id: draft.id });
    expect((await api.drafts.applyDraft({ id: draft.id })).state).toBe('queued');
    expect((await api.sync.status()).pendingMutations).toBe(1);

    const page = await api.audit.list({ key: 'syncro', limit: 2 });
    expect(page.entries.map((e) => e.id)).toEqual([3, 2]);
    expect(page.nextBefore).toBe(2);
    expect((await api.audit.list({ key: 'syncro', before: 2 })).entries.map((e) => e.id)).toEqual([1]);
    // The catalog's documentation links (the Syncro fixture has none).
    expect((await api.shell.externalLinkPolicy()).allowedOrigins).toEqual(['https://api.huntress.io', 'https://app.ninjarmm.com', 'https://docs.level.io', 'https://docs.tacticalrmm.com', 'https://help.msp360.com', 'https://learn.microsoft.com']);
  });

  it('returns field messages in the server error shape', async () => {
    const draft = await api.drafts.save({ integrationKey: 'msp360', kind: 'configure', values: { subdomain: 'Bad Value', api_token: 'x' } });
    const error = await api.drafts.review({ id: draft.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'VALIDATION_FAILED', fields: { 'settings.subdomain': ['Letters, digits and dashes'] } } });
  });

  it('refuses every call when the host says the caller is not ours', async () => {
    const refused = createCaller({
      services: createLocalServices(session, box),
      checkCaller: () => {
        throw new AppError('FORBIDDEN', 'Refused: not the Integration Center window');
      },
    });
    await expect(refused.session.status()).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Refused: not the Integration Center window' });
  });

  it("brings the server's refusal to the renderer as the same AppError, with the wait of a rate limit", async () => {
    // The renderer's side of the wire: a real tRPC client over the local router, read back by localErrors.ts.
    const client = createTRPCClient<LocalRouter>({
      links: [unstable_localLink({ router: localRouter, createContext: async () => ({ services: createLocalServices(session, box), checkCaller: () => undefined }) })],
    });
    const user = await makeUser(real.server.deps.db, real.admin.partnerId, 'partner_admin');
    const attempt = () => local(() => client.session.login.mutate({ email: user.email, password: 'not-the-password' })).catch((e: unknown) => e);
    const wrong = await attempt();
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Email or password is incorrect' });
    // The server allows ten guesses per account (server/deps.ts defaultLoginLimits); the eleventh waits.
    for (let i = 2; i <= 10; i++) await attempt();
    const limited = await attempt();
    expect(limited).toMatchObject({ code: 'RATE_LIMITED' });
    expect((limited as AppError).retryAfterSeconds).toBeGreaterThan(0);
  });
});
