import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time of the build's inputs under `dir` (tests and the preview excluded). */
async function newestInput(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (full.includes(`${path.sep}preview${path.sep}`)) continue;
    newest = Math.max(newest, (await stat(full)).mtimeMs);
  }
  return newest;
}

async function builtAt(file: string): Promise<number> {
  return existsSync(file) ? (await stat(file)).mtimeMs : 0;
}

/**
 * Builds the desktop app with electron-vite when `out/` is missing or older than its sources,
 * so `npm start`, `npm run desktop` and the e2e suite never serve a stale UI. `needMain` also
 * requires the Electron main/preload bundles (browser mode needs only the renderer).
 */
export async function ensureDesktopBuild(options: { needMain: boolean; onBuild?: () => void }): Promise<void> {
  const common = [
    newestInput(path.join(root, 'renderer')),
    newestInput(path.join(root, 'shared')),
    stat(path.join(root, 'electron.vite.config.ts')).then((s) => s.mtimeMs),
    stat(path.join(root, 'package-lock.json')).then((s) => s.mtimeMs),
  ];
  const inputs = await Promise.all(options.needMain ? [...common, newestInput(path.join(root, 'electron'))] : common);
  const outputs = [await builtAt(path.join(root, 'out/renderer/index.html'))];
  if (options.needMain) outputs.push(await builtAt(path.join(root, 'out/main/index.js')));
  if (Math.min(...outputs) >= Math.max(...inputs)) return;
  options.onBuild?.();
  const { build } = await import('electron-vite');
  await build({ root, configFile: path.join(root, 'electron.vite.config.ts'), logLevel: 'warn' });
}
