import path from 'node:path';
import { runBuilder, type DistTarget } from '../electron/packaging/builder.js';
import { stageApp } from '../electron/packaging/stageApp.js';

/**
 * `npm run dist [-- --linux --win --mac --dir]` (after `npm run build`): stages the built app in
 * release/app and runs electron-builder, which downloads Electron, rebuilds better-sqlite3 for
 * it inside release/app and writes the installers to release/dist. Needs the internet, and
 * Node ≥ 22.12 (electron-builder's @electron/rebuild). UPDATE_FEED_URL (https) is baked into
 * the installers as their update feed; without it they do not check for updates.
 */
const root = path.resolve(import.meta.dirname, '..');
const known: readonly DistTarget[] = ['linux', 'win', 'mac', 'dir'];

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !known.includes(a.replace(/^--/, '') as DistTarget));
  if (unknown.length > 0) throw new Error(`Unknown option ${unknown.join(' ')} (use --linux, --win, --mac, --dir)`);
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    console.warn(`Node ${process.versions.node}: electron-builder's native rebuild (@electron/rebuild) needs Node ≥ 22.12.`);
  }
  const feedUrl = process.env.UPDATE_FEED_URL;
  console.log(feedUrl ? `Update feed: ${feedUrl}` : 'UPDATE_FEED_URL is not set: these installers will not check for updates.');
  const staged = await stageApp({ root });
  console.log(`Staged ${path.relative(root, staged.stageDir)} (version ${String(staged.manifest.version)})`);
  const artifacts = await runBuilder({ root, targets: args.map((a) => a.replace(/^--/, '') as DistTarget), feedUrl });
  console.log(`\nBuilt in ${path.relative(root, path.join(root, 'release/dist'))}:`);
  for (const file of artifacts) console.log(`  ${path.relative(root, file)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
