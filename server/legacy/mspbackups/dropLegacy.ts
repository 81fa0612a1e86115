import path from 'node:path';
import { runner } from 'node-pg-migrate';
import { migrationsDir } from '../../db/migrate.js';
import { legacyTablePresent } from '../../db/mspbackupsConfig.js';
import { withSystem } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { describeFeatureFlag } from '../../services/featureFlags.js';
import { migrateMspBackups, type MigrationReport } from './migrate.js';
import { checkMspBackupsParity } from './parity.js';

/** Optional migrations: never applied by `migrate` (node-pg-migrate does not read sub-folders). */
export const optionalMigrationsDir = path.join(migrationsDir, 'optional');
export const dropMigration = '20261122005900_drop_mspbackups_config';
/** Applied optional migrations are recorded apart, so the main sequence and its order check are untouched. */
export const optionalMigrationsTable = 'pgmigrations_optional';

export type DropOutcome =
  | { dropped: true }
  | { dropped: false; reason: 'already-dropped' | 'flag-not-global' | 'partners-on-legacy' | 'parity'; partners?: number[] };

/**
 * The last step of the move: drops `mspbackups_config` by applying the optional migration, but
 * only when nothing reads it any more and nothing would be lost: `msp360.read_from_new` is on
 * globally with no partner overridden off, and the parity check finds no difference.
 */
export async function dropLegacyTable(deps: AppDeps, databaseUrl: string): Promise<DropOutcome> {
  const flag = await describeFeatureFlag(deps.db, deps.config, 'msp360.read_from_new');
  if (flag.global !== true) return { dropped: false, reason: 'flag-not-global' };
  const off = Object.entries(flag.partners)
    .filter(([, on]) => !on)
    .map(([id]) => Number(id));
  if (off.length) return { dropped: false, reason: 'partners-on-legacy', partners: off };
  const parity = await checkMspBackupsParity(deps);
  if (!parity.legacyTable) return { dropped: false, reason: 'already-dropped' };
  if (parity.differences.length) return { dropped: false, reason: 'parity', partners: parity.differences.map((d) => d.partnerId) };
  await runner({
    databaseUrl,
    dir: optionalMigrationsDir,
    ignorePattern: '(\\..*)|(.*\\.md)',
    migrationsTable: optionalMigrationsTable,
    direction: 'up',
    file: dropMigration,
    checkOrder: false,
    singleTransaction: true,
    log: () => undefined,
  });
  return { dropped: true };
}

/**
 * Undoes the drop: the down migration re-creates the table (empty), then the data migration
 * copies every MSP360 configuration of the generic store back into it. Dual-write resumes on
 * every instance at once (they check for the table on each write).
 */
export async function restoreLegacyTable(deps: AppDeps, databaseUrl: string): Promise<MigrationReport> {
  const present = await withSystem(deps.db, legacyTablePresent);
  if (!present) {
    await runner({
      databaseUrl,
      dir: optionalMigrationsDir,
      ignorePattern: '(\\..*)|(.*\\.md)',
      migrationsTable: optionalMigrationsTable,
      direction: 'down',
      file: dropMigration,
      checkOrder: false,
      singleTransaction: true,
      log: () => undefined,
    });
  }
  return migrateMspBackups(deps);
}
