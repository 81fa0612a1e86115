import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'electron-vite';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/**
 * `electron-vite build` with the project's config, into `<dir>/out` instead of `out/`, so test
 * files build in parallel without touching each other or a developer's build.
 */
export async function buildAppInto(dir: string): Promise<string> {
  const outDir = path.join(dir, 'out');
  await build({ root: repoRoot, configFile: path.join(repoRoot, 'electron.vite.config.ts'), logLevel: 'error', build: { outDir } });
  return outDir;
}

/** Electron's fuse sentinel (from @electron/fuses), followed by the wire: version, length, states. */
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/**
 * A stand-in for an unpacked Electron distribution (the real one cannot be downloaded here):
 * an `electron` "binary" carrying a real fuse wire with Electron's default states, so
 * electron-builder copies, renames and flips its fuses exactly as it does with Electron.
 */
export async function fakeElectronDist(dir: string): Promise<string> {
  await mkdir(path.join(dir, 'resources'), { recursive: true });
  // RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off,
  // only-asar off, browser V8 snapshot off, file:// privileges on: Electron's shipped defaults.
  const wire = Buffer.concat([Buffer.alloc(1024, 0x7f), Buffer.from(fuseSentinel), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.alloc(1024, 0x7f)]);
  await writeFile(path.join(dir, 'electron'), wire, { mode: 0o755 });
  await writeFile(path.join(dir, 'LICENSE'), 'Electron license placeholder\n');
  return dir;
}
