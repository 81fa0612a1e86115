import type { Config } from '../config.js';
import { clearGlobalFlag, clearPartnerFlag, listFlagRows, listFlagValues, setGlobalFlag, setPartnerFlag, type FlagValueRow } from '../db/featureFlags.js';
import { readAsPartner } from '../db/partnerRead.js';
import { withSystem, type Db } from '../db/pool.js';

/** Every flag the server knows; any other name is refused (a typo must not pass silently). */
export const featureFlagNames = ['integration-center', 'msp360.read_from_new'] as const;
export type FeatureFlag = (typeof featureFlagNames)[number];

export const isFeatureFlag = (name: string): name is FeatureFlag => (featureFlagNames as readonly string[]).includes(name);

/**
 * The value of a flag with nothing stored: FEATURE_INTEGRATION_CENTER for the catalog (read at
 * call time, so a test or an operator changing the config object is seen), off for the MSP360
 * read switch.
 */
export function flagDefault(config: Pick<Config, 'featureIntegrationCenter'>, flag: FeatureFlag): boolean {
  return flag === 'integration-center' ? config.featureIntegrationCenter : false;
}

/** A partner's override wins over the global value, which wins over the server default. */
export function resolveFlag(rows: readonly FlagValueRow[], flag: FeatureFlag, partnerId: number, fallback: boolean): boolean {
  const own = rows.find((r) => r.flag === flag && r.partnerId === partnerId);
  if (own) return own.enabled;
  return rows.find((r) => r.flag === flag && r.partnerId === null)?.enabled ?? fallback;
}

export interface FeatureFlags {
  isEnabled(flag: FeatureFlag, partnerId: number): Promise<boolean>;
  /** Forgets what was cached (after this process changed a flag). */
  invalidate(): void;
}

const maxCachedPartners = 10_000;

/**
 * Flags as requests read them. A partner's values are read in its scope (one statement) and
 * kept `cacheMs` (default 5 s), so the catalog's hot path does not pay a query per request; a
 * change made on another instance or by the CLI is therefore seen within `cacheMs`.
 */
export function createFeatureFlags(db: Db, config: Pick<Config, 'featureIntegrationCenter'>, options: { cacheMs?: number; now?: () => number } = {}): FeatureFlags {
  const cacheMs = options.cacheMs ?? 5_000;
  const now = options.now ?? Date.now;
  const cache = new Map<number, { rows: FlagValueRow[]; expiresAt: number }>();

  async function valuesFor(partnerId: number): Promise<FlagValueRow[]> {
    const hit = cache.get(partnerId);
    if (hit && hit.expiresAt > now()) return hit.rows;
    const rows = await readAsPartner(db, partnerId, (q) => listFlagValues(q, partnerId));
    if (cacheMs > 0) {
      if (cache.size >= maxCachedPartners) cache.clear();
      cache.set(partnerId, { rows, expiresAt: now() + cacheMs });
    }
    return rows;
  }

  return {
    async isEnabled(flag, partnerId) {
      return resolveFlag(await valuesFor(partnerId), flag, partnerId, flagDefault(config, flag));
    },
    invalidate: () => cache.clear(),
  };
}

/** Stores a flag's global value, or a partner's override with `partnerId` (operators, CLI). */
export async function setFeatureFlag(db: Db, change: { flag: FeatureFlag; enabled: boolean; partnerId?: number }): Promise<void> {
  await withSystem(db, (tx) =>
    change.partnerId === undefined ? setGlobalFlag(tx, change.flag, change.enabled) : setPartnerFlag(tx, change.partnerId, change.flag, change.enabled),
  );
}

/** Removes a flag's global value or a partner's override; true when there was one. */
export function clearFeatureFlag(db: Db, change: { flag: FeatureFlag; partnerId?: number }): Promise<boolean> {
  return withSystem(db, (tx) => (change.partnerId === undefined ? clearGlobalFlag(tx, change.flag) : clearPartnerFlag(tx, change.partnerId, change.flag)));
}

export interface FlagState {
  flag: FeatureFlag;
  default: boolean;
  global: boolean | null;
  /** Partner overrides, by partner id. */
  partners: Record<string, boolean>;
}

/** What is stored for a flag, for operators (`flag show`). */
export async function describeFeatureFlag(db: Db, config: Pick<Config, 'featureIntegrationCenter'>, flag: FeatureFlag): Promise<FlagState> {
  const rows = await withSystem(db, (tx) => listFlagRows(tx, flag));
  const partners: Record<string, boolean> = {};
  for (const row of rows) if (row.partnerId !== null) partners[String(row.partnerId)] = row.enabled;
  return { flag, default: flagDefault(config, flag), global: rows.find((r) => r.partnerId === null)?.enabled ?? null, partners };
}
