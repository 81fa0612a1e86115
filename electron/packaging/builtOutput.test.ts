import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcChannels, type ElectronTrpcBridge, type IntegrationCenterBridge } from '../../shared/ipc.js';
import { classifyImport, electronExports, electronNamedImports, pageAssets, runPreload, runtimeImports } from './builtOutput.js';
import { nativeRuntimeModules } from './stageApp.js';
import { buildAppInto, repoRoot } from './test/buildApp.js';

// The preload contract as runtime lists; `satisfies` fails type-checking if shared/ipc.ts gains
// or loses a member without this list following.
const bridgeMembers = { openExternal: true, updateStatus: true, onUpdateStatus: true, restartToUpdate: true, shell: true } satisfies Record<keyof IntegrationCenterBridge, true>;
const trpcMembers = { sendMessage: true, onMessage: true } satisfies Record<keyof ElectronTrpcBridge, true>;

let dir: string;
let out: string;
let main: string;
let preload: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ic-built-'));
  out = await buildAppInto(dir);
  main = await readFile(path.join(out, 'main/index.js'), 'utf8');
  preload = await readFile(path.join(out, 'preload/index.cjs'), 'utf8');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('built main process', () => {
  it('is the entry package.json names, and finds the preload and renderer where they are built', async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { main: string };
    expect(manifest.main).toBe('out/main/index.js');
    expect(main).toContain('../preload/index.cjs');
    expect(main).toContain('../renderer');
    await access(path.join(out, 'main', '../preload/index.cjs'));
    await access(path.join(out, 'main', '../renderer/index.html'));
  });

  it('loads at run time only Node builtins, Electron and the packaged native module', () => {
    const imports = runtimeImports(main);
    // The extractor sees both kinds of import the bundle has: static (electron) and dynamic (better-sqlite3).
    expect(imports).toEqual(expect.arrayContaining(['electron', 'better-sqlite3', 'node:path']));
    const unresolved = imports.filter((s) => !['builtin', 'electron', 'dependency'].includes(classifyImport(s, nativeRuntimeModules)));
    expect(unresolved).toEqual([]);
  });

  it('names only APIs Electron exports to the main process', async () => {
    const available = await electronExports(repoRoot, 'Main');
    const named = electronNamedImports(main);
    expect(named).toEqual(expect.arrayContaining(['BrowserWindow', 'app', 'ipcMain', 'protocol', 'safeStorage']));
    expect(named.filter((n) => !available.has(n))).toEqual([]);
  });
});

describe('built preload', () => {
  it('requires nothing but electron, and uses only renderer APIs', async () => {
    expect(runtimeImports(preload)).toEqual(['electron']);
    const available = await electronExports(repoRoot, 'Renderer');
    const used = [...new Set([...preload.matchAll(/\belectron\.(\w+)/g)].map((m) => m[1] ?? ''))];
    expect(used.sort()).toEqual(['contextBridge', 'ipcRenderer']);
    expect(used.filter((n) => !available.has(n))).toEqual([]);
  });

  it('exposes exactly the named functions of shared/ipc.ts, each on its own channel', async () => {
    const run = runPreload(preload);
    expect(run.required).toEqual(['electron']);
    expect([...run.exposed.keys()].sort()).toEqual(['electronTRPC', 'integrationCenter']);
    const bridge = run.exposed.get('integrationCenter') as IntegrationCenterBridge;
    const trpc = run.exposed.get('electronTRPC') as ElectronTrpcBridge;
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(bridgeMembers).sort());
    expect(Object.keys(trpc).sort()).toEqual(Object.keys(trpcMembers).sort());
    expect(bridge.shell).toBe('electron');

    await expect(bridge.openExternal('https://docs.syncromsp.com/x')).resolves.toBe(true);
    await bridge.updateStatus();
    await expect(bridge.restartToUpdate()).resolves.toBe(true);
    const unsubscribe = bridge.onUpdateStatus(() => undefined);
    unsubscribe();
    trpc.sendMessage({ method: 'request' });
    trpc.onMessage(() => undefined);
    expect(run.ipc).toEqual([
      ['invoke', ipcChannels.openExternal, 'https://docs.syncromsp.com/x'],
      ['invoke', ipcChannels.updateStatus],
      ['invoke', ipcChannels.updateRestart],
      ['on', ipcChannels.updateChanged],
      ['removeListener', ipcChannels.updateChanged],
      ['send', ipcChannels.trpc, { method: 'request' }],
      ['on', ipcChannels.trpc],
    ]);
  });
});

describe('built renderer', () => {
  it('loads only files that were built, with no inline script the CSP would block', async () => {
    const html = await readFile(path.join(out, 'renderer/index.html'), 'utf8');
    const assets = pageAssets(html);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) await access(path.join(out, 'renderer', asset));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });
});
