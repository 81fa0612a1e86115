import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { chromiumExecutable } from './browser.js';
import { rendererDir, repoRoot } from './desktop.js';

/** Newest modification time under `dir` (tests and the preview do not go into the build). */
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

/**
 * Once per `npm test` run, before the e2e files: builds the renderer when `out/renderer` is
 * missing or older than its sources (electron-vite, a few seconds), and unpacks the Chromium of
 * `@sparticuz/chromium` once, so two test files never unpack it at the same time.
 */
export default async function setup(): Promise<void> {
  const index = path.join(rendererDir, 'index.html');
  const inputs = await Promise.all([
    newestInput(path.join(repoRoot, 'renderer')),
    newestInput(path.join(repoRoot, 'shared')),
    stat(path.join(repoRoot, 'electron.vite.config.ts')).then((s) => s.mtimeMs),
    stat(path.join(repoRoot, 'package-lock.json')).then((s) => s.mtimeMs),
  ]);
  const builtAt = existsSync(index) ? (await stat(index)).mtimeMs : 0;
  if (builtAt < Math.max(...inputs)) {
    const { build } = await import('electron-vite');
    await build({ root: repoRoot, configFile: path.join(repoRoot, 'electron.vite.config.ts'), logLevel: 'error' });
  }
  await chromiumExecutable();
}
