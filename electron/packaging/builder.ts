import path from 'node:path';
import type { AfterPackContext, Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { build, Platform, type Arch } from 'electron-builder';
import { isHttpsOrLoopback } from '../../shared/desktopSettings.js';
import { electronAbi, wrongAbiModules } from './nativeAbi.js';

/**
 * electron-builder with electron-builder.yml, plus what is decided at packaging time: the update
 * feed (UPDATE_FEED_URL → `publish`, written into the installers as app-update.yml) and, for
 * the offline checks, overrides such as a local Electron distribution.
 */

export const builderConfigFile = 'electron-builder.yml';

export type DistTarget = 'linux' | 'win' | 'mac' | 'dir';

/** The generic feed the installers will check, from UPDATE_FEED_URL at packaging time. */
export function publishFor(feedUrl: string | undefined): Pick<Configuration, 'publish'> {
  const url = feedUrl?.trim();
  if (!url) return {};
  if (!isHttpsOrLoopback(url)) throw new Error('UPDATE_FEED_URL must be an https URL');
  return { publish: { provider: 'generic', url } };
}

/** The effective configuration, as electron-builder itself loads and merges it. */
export async function loadBuilderConfig(root: string, overrides: Configuration = {}): Promise<Configuration> {
  return getConfig(root, path.join(root, builderConfigFile), structuredClone(overrides));
}

/** electron-builder's own schema validation; throws its message on an invalid configuration. */
export async function validateBuilderConfig(config: Configuration): Promise<void> {
  const debug = { isEnabled: false, add() {}, save: async () => {} };
  // The debug logger is only written to when enabled; its other members are never read here.
  await validateConfiguration(config, debug as unknown as Parameters<typeof validateConfiguration>[1]);
}

export interface RunBuilderOptions {
  root: string;
  targets: readonly DistTarget[];
  feedUrl?: string;
  overrides?: Configuration;
  /** Refuse to package native modules not built for this Electron (default on). */
  checkNativeAbi?: boolean;
}

/** Runs electron-builder (never publishing: the feed's files are uploaded by the operator). */
export async function runBuilder(options: RunBuilderOptions): Promise<string[]> {
  const expectedAbi = await electronAbi(options.root);
  const config: Configuration = {
    extends: path.join(options.root, builderConfigFile),
    ...publishFor(options.feedUrl),
    ...(options.checkNativeAbi === false ? {} : { afterPack: (context: AfterPackContext) => assertElectronAbi(context.appOutDir, expectedAbi) }),
    ...options.overrides,
  };
  // node-gyp must compile against Electron's headers; an npm `nodedir` (passed on as this
  // variable by npm/npx) would silently point it at Node's instead.
  const nodedir = process.env.npm_config_nodedir;
  delete process.env.npm_config_nodedir;
  try {
    return await build({ projectDir: options.root, config, targets: targetsFor(options.targets), publish: 'never' });
  } finally {
    if (nodedir !== undefined) process.env.npm_config_nodedir = nodedir;
  }
}

/** Stops packaging (before any installer is made) when a native module has the wrong ABI. */
export async function assertElectronAbi(appOutDir: string, expectedAbi: number): Promise<void> {
  const wrong = await wrongAbiModules(appOutDir, expectedAbi);
  if (wrong.length === 0) return;
  const list = wrong.map((w) => `${path.relative(appOutDir, w.file)} (ABI ${w.abi ?? 'unknown'})`).join(', ');
  throw new Error(`Native modules not built for this Electron (ABI ${expectedAbi}): ${list}. Was node-gyp given Node's headers (npm nodedir)?`);
}

/** `dir` alone: unpacked app only (no installers), for the current platform unless one is named. */
function targetsFor(targets: readonly DistTarget[]): Map<Platform, Map<Arch, string[]>> {
  const named = targets.filter((t): t is Exclude<DistTarget, 'dir'> => t !== 'dir');
  const platforms = named.length > 0 ? named.map(platformOf) : [Platform.current()];
  const type = targets.includes('dir') ? 'dir' : null;
  // No arch given: electron-builder's default, the packaging machine's own.
  return new Map(platforms.flatMap((platform) => [...platform.createTarget(type)]));
}

function platformOf(target: Exclude<DistTarget, 'dir'>): Platform {
  return target === 'linux' ? Platform.LINUX : target === 'win' ? Platform.WINDOWS : Platform.MAC;
}
