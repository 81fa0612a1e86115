import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { startBrowserModeCore } from '../electron/core/browserMode.js';
import { ensureDesktopBuild } from './desktopBuild.js';

const root = path.resolve(import.meta.dirname, '..');

/** Where the desktop app looks for the server when neither SERVER_URL nor a saved setting says. */
export const devServerUrl = 'http://127.0.0.1:8787';

/**
 * Desktop settings from the environment, validated like the server's. SERVER_URL, when set,
 * overrides the server address saved in the app's settings for this run.
 */
export const desktopEnvSchema = z.object({
  SERVER_URL: z.url({ protocol: /^https?$/ }).optional(),
  DESKTOP_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  DESKTOP_DATA_DIR: z.string().min(1).default('.desktop-data'),
});
export type DesktopEnv = z.infer<typeof desktopEnvSchema>;

export function loadDesktopEnv(env: NodeJS.ProcessEnv): DesktopEnv {
  const parsed = desktopEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
}

/**
 * The Electron binary, if one is installed. `require('electron')` returns its path, or throws
 * when the package was installed without downloading the binary (as on CI and here).
 */
export function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}


export interface LaunchedDesktop {
  mode: 'electron' | 'browser';
  /** Browser mode: the URL to open (with the launch token in the fragment). */
  url: string | null;
  /** Browser mode: the server the core talks to (null: not chosen yet, the app asks). */
  serverUrl: string | null;
  stop(): Promise<void>;
}

/**
 * Starts the desktop app against `SERVER_URL` (else the saved setting, else the local server):
 * Electron when its binary is present, otherwise
 * (or with `--browser`) the core as this Node process serving the renderer on 127.0.0.1.
 */
export async function launchDesktop(env: DesktopEnv, args: readonly string[]): Promise<LaunchedDesktop> {
  const binary = args.includes('--browser') ? null : electronBinary();
  const dataDir = path.resolve(root, env.DESKTOP_DATA_DIR);
  await ensureDesktopBuild({ needMain: binary !== null, onBuild: () => console.log('Building the desktop app…') });
  if (binary) {
    const child: ChildProcess = spawn(binary, [root], {
      stdio: 'inherit',
      env: { ...process.env, ...(env.SERVER_URL ? { SERVER_URL: env.SERVER_URL } : {}), DESKTOP_DATA_DIR: dataDir },
    });
    return {
      mode: 'electron',
      url: null,
      serverUrl: env.SERVER_URL ?? null,
      stop: async () => {
        child.kill('SIGTERM');
      },
    };
  }
  const core = await startBrowserModeCore({
    serverUrl: env.SERVER_URL,
    defaultServerUrl: devServerUrl,
    dataDir,
    port: env.DESKTOP_PORT,
    staticDir: path.join(root, 'out/renderer'),
  });
  return { mode: 'browser', url: core.host.url, serverUrl: core.session.serverUrl, stop: () => core.close() };
}
