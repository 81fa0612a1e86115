import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { desktopSettingsSchema, setServerUrlInputSchema, setThemeInputSchema, type DesktopSettings, type DesktopSettingsView, type Theme } from '../../../shared/desktopSettings.js';
import { AppError } from '../../../shared/errors.js';
import { normaliseServerUrl } from '../session/cacheFiles.js';
import type { DesktopSession } from '../session/session.js';

/**
 * The desktop settings file (`settings.json` in the data directory, 0600): the server address
 * chosen at first run or in settings, and the theme. A missing or unreadable file means "nothing chosen yet";
 * it is never fatal, the user is simply asked again.
 */
const fileName = 'settings.json';

export async function readDesktopSettings(dataDir: string): Promise<DesktopSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dataDir, fileName), 'utf8'));
  } catch {
    return desktopSettingsSchema.parse({});
  }
  const parsed = desktopSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : desktopSettingsSchema.parse({});
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
export async function writeDesktopSettings(dataDir: string, settings: DesktopSettings): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const target = path.join(dataDir, fileName);
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(desktopSettingsSchema.parse(settings), null, 2)}\n`, { mode: 0o600 });
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * The server address for this run: SERVER_URL (env) wins, then the saved setting, then the
 * host's default (a development build points at the local server; a packaged app has none, so
 * its first run asks).
 */
export function chooseServerUrl(input: { envUrl?: string | null; storedUrl: string | null; defaultUrl?: string | null }): string | null {
  return input.envUrl || input.storedUrl || input.defaultUrl || null;
}

export interface SettingsService {
  get(): Promise<DesktopSettingsView>;
  setServerUrl(serverUrl: string): Promise<DesktopSettingsView>;
  /** Saves the theme (a look, not data: allowed signed in or out, by any role). */
  setTheme(theme: Theme): Promise<DesktopSettingsView>;
}

/**
 * `settings.get` / `settings.setServerUrl` of the local API. A new address is saved and used at
 * once while signed out (first run, or after signing out); while signed in the change is
 * refused, because caches, drafts and the token belong to one server.
 */
export function createSettingsService(options: { session: DesktopSession; envServerUrl?: string | null }): SettingsService {
  const { session } = options;
  const envUrl = options.envServerUrl || null;
  const get = async (): Promise<DesktopSettingsView> => {
    const settings = await readDesktopSettings(session.dataDir);
    const stored = settings.serverUrl;
    const serverUrl = session.serverUrl;
    return {
      theme: settings.theme,
      serverUrl,
      source: envUrl ? 'env' : serverUrl === null ? 'unset' : stored !== null && normaliseServerUrl(stored) === serverUrl ? 'settings' : 'default',
      needsServerUrl: serverUrl === null,
      serverUrlEditable: envUrl === null,
    };
  };
  return {
    get,
    async setServerUrl(raw) {
      const { serverUrl } = setServerUrlInputSchema.parse({ serverUrl: raw });
      if (envUrl) throw new AppError('CONFLICT', 'The server address is set by SERVER_URL for this run');
      session.assertCanChangeServer();
      const settings = await readDesktopSettings(session.dataDir);
      await writeDesktopSettings(session.dataDir, { ...settings, serverUrl });
      await session.useServer(serverUrl);
      return get();
    },
    async setTheme(raw) {
      const { theme } = setThemeInputSchema.parse({ theme: raw });
      const settings = await readDesktopSettings(session.dataDir);
      await writeDesktopSettings(session.dataDir, { ...settings, theme });
      return get();
    },
  };
}
