import type { IntegrationDetail } from '../../../shared/integrations/catalog.js';
import { applyChange } from '../cache/pulledCatalog.js';
import type { CacheDb } from '../db/types.js';
import { integrationChange } from './fixtures.js';

/** Puts integrations in the mirror the way a pull would. */
export function seedMirror(db: CacheDb, ...details: IntegrationDetail[]): void {
  db.transaction(() => details.forEach((d, i) => applyChange(db, integrationChange(d, i + 1))))();
}
