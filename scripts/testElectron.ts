import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from './desktopLauncher.js';

/**
 * `npm run test:electron`: the Playwright `_electron` end-to-end suite (electron/e2e). It needs
 * Electron's binary, which `npm ci` does not download here (package.json allowScripts keeps
 * electron's install script off). Without it the suite does not run, says so, and exits 0 —
 * it is not part of `npm test`, whose checks of the built app run everywhere.
 */
const root = path.resolve(import.meta.dirname, '..');

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return result.status ?? 1;
}

const binary = electronBinary();
if (!binary) {
  console.log(
    [
      'Electron E2E suite: DID NOT RUN — the Electron binary is not installed.',
      'On a machine with internet access, fetch it with `node node_modules/electron/install.js`,',
      'then run `npm run test:electron` again. (0 tests ran; this is not a pass.)',
    ].join('\n'),
  );
  process.exit(0);
}

console.log(`Electron E2E suite with ${binary}`);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let status = run(npx, ['electron-vite', 'build']);
if (status === 0) status = run(npx, ['vitest', 'run', '--config', 'vitest.electron.config.ts']);
process.exit(status);
