import { rmSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * The server's own modules compiled from TypeScript to JavaScript once per fault run, file for
 * file (no bundling: the same modules, the same relative imports, the same `import.meta.url`
 * beside a plugin's logo and the migrations folder). A restart then loads plain JavaScript
 * instead of compiling through tsx's loader again — about two seconds of CPU per start on a
 * loaded machine, which is most of what a SIGKILL-and-restart costs.
 */

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'test' && entry.name !== 'node_modules') out.push(...(await sources(rel)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(rel);
    }
  }
  return out;
}

async function svgs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(path.join(repoRoot, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await svgs(rel)));
    else if (entry.name.endsWith('.svg')) out.push(rel);
  }
  return out;
}

export interface CompiledServer {
  /** The folder standing in for the repository root: `server/…`, `shared/…`, `faults/lib/serverChild.js`. */
  root: string;
  remove(): Promise<void>;
}

let compiling: Promise<CompiledServer> | undefined;

/** Compiles once per process; later calls get the same folder (removed when the process exits). */
export function compiledServer(): Promise<CompiledServer> {
  compiling ??= (async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ic-faults-build-'));
    const entryPoints = [...(await sources('server')), ...(await sources('shared')), 'faults/lib/serverChild.ts'];
    await build({
      absWorkingDir: repoRoot,
      entryPoints,
      outdir: root,
      outbase: '.',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      bundle: false,
      logLevel: 'error',
      // `import pkg from '../../package.json' with { type: 'json' }` keeps its attribute.
      supported: { 'import-attributes': true },
    });
    // The repository's own (it says "type": "module", and the app reads its version).
    await cp(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
    await symlink(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    await symlink(path.join(repoRoot, 'migrations'), path.join(root, 'migrations'));
    for (const file of await svgs('server/integrations')) await cp(path.join(repoRoot, file), path.join(root, file));
    const remove = () => rm(root, { recursive: true, force: true });
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    return { root, remove };
  })();
  return compiling;
}
