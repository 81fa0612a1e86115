import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Which Node ABI a native module was built for. Modules built with Node's NODE_MODULE macro
 * (better-sqlite3) export `node_register_module_v<ABI>`; N-API modules are ABI-stable.
 *
 * This guards a trap seen on our own machines: an npm `nodedir` setting (npm hands it to
 * node-gyp as npm_config_nodedir) makes the "rebuild for Electron" compile against Node's
 * headers. @electron/rebuild then records Electron's ABI in `.forge-meta`, but the binary is
 * Node's, and the installed app fails to open its database on first start.
 */
export async function nativeModuleAbi(file: string): Promise<number | 'napi' | null> {
  const text = (await readFile(file)).toString('latin1');
  const match = /node_register_module_v(\d+)/.exec(text);
  if (match?.[1]) return Number(match[1]);
  return text.includes('napi_register_module_v1') ? 'napi' : null;
}

/** The ABI of the Electron the app is packaged with (the electron package ships it). */
export async function electronAbi(root: string): Promise<number> {
  return Number((await readFile(path.join(root, 'node_modules/electron/abi_version'), 'utf8')).trim());
}

/** Every `.node` file under `dir` whose ABI is not `expected` (N-API modules pass). */
export async function wrongAbiModules(dir: string, expected: number): Promise<{ file: string; abi: number | null }[]> {
  const wrong: { file: string; abi: number | null }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.node')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const abi = await nativeModuleAbi(file);
    if (abi !== 'napi' && abi !== expected) wrong.push({ file, abi });
  }
  return wrong;
}
