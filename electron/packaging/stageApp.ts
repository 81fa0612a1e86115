import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * Stages the app electron-builder packs (`directories.app` = release/app): the built `out/`, a
 * package.json with the version of the repository's package.json, and the one runtime
 * dependency the main bundle leaves external — better-sqlite3 — with its dependency closure
 * copied from the repository's node_modules (so the lockfile's versions ship).
 *
 * The copied better-sqlite3 loses its `build/` (the Node binary the tests use): the only binary
 * that can ship is the one electron-builder rebuilds for Electron in the stage. The repository's
 * node_modules is never touched, so Node and its tests keep their own build.
 */

/** Modules the main bundle imports at run time (see electron.vite.config.ts `external`). */
export const nativeRuntimeModules = ['better-sqlite3'] as const;

export const productName = 'Integration Center';

const manifestSchema = z.object({
  name: z.string(),
  version: z.string(),
  description: z.string().optional(),
  license: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).default({}),
});

export interface StageOptions {
  root: string;
  /** The electron-vite output (default `<root>/out`). */
  outDir?: string;
  /** Default `<root>/release/app` (electron-builder.yml `directories.app`). */
  stageDir?: string;
  /** Keep the Node build of native modules (offline packaging checks only; never for installers). */
  keepNativeBuild?: boolean;
}

export interface StagedApp {
  stageDir: string;
  manifest: Record<string, unknown>;
  /** node_modules paths copied, relative to the stage (e.g. `node_modules/bindings`). */
  modules: string[];
}

export async function stageApp(options: StageOptions): Promise<StagedApp> {
  const root = options.root;
  const stageDir = options.stageDir ?? path.join(root, 'release', 'app');
  const rootManifest = manifestSchema.parse(JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')));
  await rm(stageDir, { recursive: true, force: true });
  await mkdir(stageDir, { recursive: true });
  await cp(options.outDir ?? path.join(root, 'out'), path.join(stageDir, 'out'), { recursive: true });

  const dependencies: Record<string, string> = {};
  for (const name of nativeRuntimeModules) {
    const range = rootManifest.dependencies[name];
    if (!range) throw new Error(`${name} must be a dependency in package.json`);
    dependencies[name] = range;
  }
  const modules = await dependencyClosure(root, Object.keys(dependencies));
  for (const rel of modules) {
    await cp(path.join(root, rel), path.join(stageDir, rel), { recursive: true, verbatimSymlinks: true });
  }
  if (!options.keepNativeBuild) {
    for (const name of nativeRuntimeModules) await rm(path.join(stageDir, 'node_modules', name, 'build'), { recursive: true, force: true });
  }

  const manifest = {
    name: rootManifest.name,
    productName,
    version: rootManifest.version,
    description: rootManifest.description ?? productName,
    author: { name: 'ACG' },
    ...(rootManifest.license ? { license: rootManifest.license } : {}),
    type: 'module',
    main: 'out/main/index.js',
    dependencies,
  };
  await writeFile(path.join(stageDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { stageDir, manifest, modules };
}

/**
 * The production dependency closure of `names`, resolved the way Node resolves them from the
 * root: a nested `node_modules` of the requiring package first, then the root's.
 */
async function dependencyClosure(root: string, names: string[]): Promise<string[]> {
  const found = new Set<string>();
  const queue = names.map((name) => ({ name, from: '' }));
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next) break;
    const rel = await resolvePackageDir(root, next.name, next.from);
    if (found.has(rel)) continue;
    found.add(rel);
    const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(root, rel, 'package.json'), 'utf8')));
    for (const dep of Object.keys(manifest.dependencies)) queue.push({ name: dep, from: rel });
  }
  return [...found].sort();
}

async function resolvePackageDir(root: string, name: string, from: string): Promise<string> {
  let dir = from;
  for (;;) {
    const candidate = path.posix.join(dir, 'node_modules', name);
    const exists = await readFile(path.join(root, candidate, 'package.json')).then(
      () => true,
      () => false,
    );
    if (exists) return candidate;
    if (!dir) throw new Error(`Cannot find ${name} (needed by ${from || 'the app'}) in node_modules`);
    // Up from `node_modules/a/node_modules/@s/b` to `node_modules/a`, then to the root.
    dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, '');
  }
}
