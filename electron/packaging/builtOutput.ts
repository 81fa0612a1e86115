import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';

/**
 * Checks of the electron-vite output that stand in for starting Electron where its binary is
 * missing: what each bundle imports at run time, which Electron APIs it names, which files the
 * renderer page loads, and what the sandboxed preload actually exposes when it runs.
 */

/** Module specifiers a bundle loads at run time: static and dynamic imports, require calls. */
export function runtimeImports(code: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /\bimport\s+[^'"()]*?\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\b(?:__)?require\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found].sort();
}

export type ImportKind = 'builtin' | 'electron' | 'dependency' | 'relative' | 'unresolved';

/** Where an import is satisfied at run time in the packaged app. */
export function classifyImport(specifier: string, dependencies: readonly string[]): ImportKind {
  if (specifier.startsWith('.')) return 'relative';
  if (specifier === 'electron') return 'electron';
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || builtinModules.includes(bare)) return 'builtin';
  const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
  return dependencies.includes(packageName) ? 'dependency' : 'unresolved';
}

/** Names imported from 'electron' by `import { a, b as c } from "electron"`. */
export function electronNamedImports(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*["']electron["']/g)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0]?.trim();
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * The values Electron exports to a process type, read from Electron's own type definitions
 * (`namespace Main` / `namespace Renderer`, plus `namespace Common` shared by both).
 */
export async function electronExports(root: string, processType: 'Main' | 'Renderer'): Promise<Set<string>> {
  const dts = await readFile(path.join(root, 'node_modules/electron/electron.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const ns of [processType, 'Common']) {
    const start = dts.indexOf(`\n  namespace ${ns} {`);
    if (start < 0) throw new Error(`electron.d.ts has no namespace ${ns}`);
    const end = dts.indexOf('\n  }\n', start);
    for (const match of dts.slice(start, end).matchAll(/^\s{4}(?:const|class)\s+(\w+)/gm)) if (match[1]) names.add(match[1]);
  }
  return names;
}

/** Local files an HTML page loads (script src, link href, img src), relative to the page. */
export function pageAssets(html: string): string[] {
  const assets = new Set<string>();
  for (const match of html.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
    const ref = match[1] ?? '';
    if (!/^(?:[a-z]+:)?\/\//i.test(ref) && !ref.startsWith('data:')) assets.add(ref);
  }
  return [...assets].sort();
}

export interface PreloadRun {
  /** `contextBridge.exposeInMainWorld` calls: global name → exposed value. */
  exposed: Map<string, unknown>;
  /** Modules the preload asked `require` for. */
  required: string[];
  /** IPC traffic the exposed functions produced: [method, channel, ...args]. */
  ipc: unknown[][];
}

/**
 * Runs the built, sandboxed preload (CommonJS) in a fresh V8 context the way Electron's
 * sandbox would: a `require` that only knows 'electron', whose contextBridge and ipcRenderer
 * record what the preload does with them.
 */
export function runPreload(code: string): PreloadRun {
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const ipc: unknown[][] = [];
  const ipcRenderer = {
    send: (channel: string, ...args: unknown[]) => void ipc.push(['send', channel, ...args]),
    invoke: async (channel: string, ...args: unknown[]) => {
      ipc.push(['invoke', channel, ...args]);
      return true;
    },
    on: (channel: string) => void ipc.push(['on', channel]),
    removeListener: (channel: string) => void ipc.push(['removeListener', channel]),
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (name: string, value: unknown) => {
        if (exposed.has(name)) throw new Error(`${name} exposed twice`);
        exposed.set(name, value);
      },
    },
    ipcRenderer,
  };
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`A sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  vm.runInNewContext(`(function (require, module, exports) {${code}\n})`, { Promise }, { filename: 'preload/index.cjs' })(sandboxRequire, module, module.exports);
  return { exposed, required, ipc };
}
