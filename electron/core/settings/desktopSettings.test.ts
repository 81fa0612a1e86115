import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ZodError } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localRouter } from '../api/router.js';
import { createLocalCallerFactory } from '../api/trpc.js';
import { createDesktopCore, type DesktopCore, type DesktopCoreOptions } from '../desktopCore.js';
import { aesGcmSecretBox } from '../secrets/secretBox.js';
import { memoryTokenStore } from '../session/tokenStore.js';
import { listeningServer } from '../test/realServer.js';

const createCaller = createLocalCallerFactory(localRouter);
const box = aesGcmSecretBox(Buffer.alloc(32, 5));
let real: Awaited<ReturnType<typeof listeningServer>>;
let dir: string;
const cores: DesktopCore[] = [];

async function openCore(options: Partial<DesktopCoreOptions> = {}) {
  const core = await createDesktopCore({
    dataDir: dir,
    tokenStore: memoryTokenStore(),
    secretBox: box,
    engineOptions: { backoff: { baseMs: 60_000, maxMs: 60_000 } },
    ...options,
  });
  cores.push(core);
  return { core, api: createCaller({ services: core.services, checkCaller: () => undefined }) };
}

beforeAll(async () => {
  real = await listeningServer();
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-settings-'));
});
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});
afterAll(async () => {
  await real.close();
});

describe('server address setting', () => {
  it('asks for the server at first run, then signs in against the chosen one', async () => {
    const { api } = await openCore();
    expect(await api.settings.get()).toEqual({ serverUrl: null, source: 'unset', needsServerUrl: true, serverUrlEditable: true, theme: 'system' });
    expect((await api.session.status()).serverUrl).toBeNull();
    await expect(api.session.login({ email: real.admin.email, password: real.admin.password })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Choose the server first' });

    const view = await api.settings.setServerUrl({ serverUrl: `${real.url}/` });
    expect(view).toEqual({ serverUrl: real.url, source: 'settings', needsServerUrl: false, serverUrlEditable: true, theme: 'system' });
    const status = await api.session.login({ email: real.admin.email, password: real.admin.password });
    expect(status).toMatchObject({ state: 'signedIn', serverUrl: real.url });
  });

  it('keeps the choice across restarts in a file only the user can read', async () => {
    const first = await openCore();
    await first.api.settings.setServerUrl({ serverUrl: 'https://integrations.example.com' });
    await first.core.close();
    const file = path.join(dir, 'settings.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ serverUrl: 'https://integrations.example.com', theme: 'system' });
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    const { api } = await openCore({ defaultServerUrl: 'http://127.0.0.1:8787' });
    expect(await api.settings.get()).toMatchObject({ serverUrl: 'https://integrations.example.com', source: 'settings' });
  });

  it('refuses addresses that are not https (except this computer), with a field message', async () => {
    const { api } = await openCore();
    for (const serverUrl of ['http://integrations.example.com', 'https://user:pw@integrations.example.com', 'ftp://example.com', 'integrations.example.com', 'https://x.example.com/?a=1', '']) {
      const error = await api.settings.setServerUrl({ serverUrl }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, serverUrl).toMatchObject({ code: 'BAD_REQUEST' });
      // The caller's error carries the zod issues the formatter turns into `fields.serverUrl`.
      const cause = (error as { cause?: unknown }).cause;
      expect(cause, serverUrl).toBeInstanceOf(ZodError);
      expect((cause as ZodError).issues.map((i) => i.path.join('.')), serverUrl).toContain('serverUrl');
    }
    for (const serverUrl of ['http://127.0.0.1:8787', 'http://localhost:8787', 'http://[::1]:8787', 'https://integrations.example.com/ic']) {
      expect((await api.settings.setServerUrl({ serverUrl })).serverUrl, serverUrl).toBe(serverUrl);
    }
    await expect(readFile(path.join(dir, 'settings.json'), 'utf8')).resolves.toContain('https://integrations.example.com/ic');
  });

  it('ignores a damaged settings file and asks again', async () => {
    await writeFile(path.join(dir, 'settings.json'), '{"serverUrl": "http://evil.example.com"');
    const { api } = await openCore();
    expect(await api.settings.get()).toMatchObject({ serverUrl: null, needsServerUrl: true });
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ serverUrl: 'http://evil.example.com' }));
    const again = await openCore();
    expect((await again.api.settings.get()).serverUrl).toBeNull();
  });

  it('lets SERVER_URL override the setting for a run, and then refuses changes', async () => {
    const first = await openCore();
    await first.api.settings.setServerUrl({ serverUrl: 'https://integrations.example.com' });
    const { api } = await openCore({ serverUrl: real.url });
    expect(await api.settings.get()).toEqual({ serverUrl: real.url, source: 'env', needsServerUrl: false, serverUrlEditable: false, theme: 'system' });
    await expect(api.settings.setServerUrl({ serverUrl: 'https://other.example.com' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8')).serverUrl).toBe('https://integrations.example.com');
  });

  it('refuses to change servers while signed in, and allows it after signing out', async () => {
    const { api } = await openCore({ defaultServerUrl: real.url });
    expect((await api.settings.get()).source).toBe('default');
    await api.session.login({ email: real.admin.email, password: real.admin.password });
    await expect(api.settings.setServerUrl({ serverUrl: 'https://other.example.com' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'Sign out before changing the server' });
    expect((await api.settings.get()).serverUrl).toBe(real.url);
    await api.session.logout({ force: true });
    expect((await api.settings.setServerUrl({ serverUrl: 'https://other.example.com' })).serverUrl).toBe('https://other.example.com');
    expect(await api.session.status()).toMatchObject({ state: 'signedOut', serverUrl: 'https://other.example.com' });
  });
});

describe('theme setting', () => {
  it('saves system, light or dark beside the address, signed in or out, and keeps it across restarts', async () => {
    const first = await openCore({ defaultServerUrl: real.url });
    expect((await first.api.settings.get()).theme).toBe('system');
    expect((await first.api.settings.setTheme({ theme: 'dark' })).theme).toBe('dark');
    await first.api.session.login({ email: real.admin.email, password: real.admin.password });
    // A look, not data: unlike the address, it changes while signed in.
    expect((await first.api.settings.setTheme({ theme: 'light' })).theme).toBe('light');
    await first.core.close();

    expect(JSON.parse(await readFile(path.join(dir, 'settings.json'), 'utf8'))).toEqual({ serverUrl: null, theme: 'light' });
    const { api } = await openCore({ defaultServerUrl: real.url });
    expect(await api.settings.get()).toMatchObject({ theme: 'light', serverUrl: real.url });
  });

  it('refuses an unknown theme with a field message and keeps the saved one', async () => {
    const { api } = await openCore();
    await api.settings.setTheme({ theme: 'dark' });
    const error = await api.settings.setTheme({ theme: 'sepia' as never }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(((error as { cause?: ZodError }).cause?.issues ?? []).map((i) => i.path.join('.'))).toContain('theme');
    expect((await api.settings.get()).theme).toBe('dark');
  });

  it('reads a theme it does not know (a newer app wrote it) as system, without losing the address', async () => {
    await writeFile(path.join(dir, 'settings.json'), JSON.stringify({ serverUrl: 'https://integrations.example.com', theme: 'high-contrast' }));
    const { api } = await openCore();
    expect(await api.settings.get()).toMatchObject({ serverUrl: 'https://integrations.example.com', theme: 'system' });
  });
});
