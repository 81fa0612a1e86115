import { createHash } from 'node:crypto';
import type { Registry } from '../../integrations/registry.js';

/**
 * Bump when what a pull sends changes meaning (a new field in IntegrationDetail, another way of
 * building a change): every cursor made before then answers `reset`, so caches re-pull instead
 * of keeping rows in the old shape.
 */
export const syncSchemaVersion = 1;

/**
 * A place in the keyset order `(version, id)`: the next page starts after it. `id: null` means
 * "everything up to and including `version`" (where a caught-up page ends). Ids compare as plain
 * strings (code-unit order, which is byte order for these ASCII ids, like COLLATE "C" in SQL).
 */
export interface SyncPosition {
  version: number;
  id: string | null;
}

/** Before everything, version-0 catalog baseline included. */
export const startPosition: SyncPosition = { version: -1, id: null };

/** Whether `(version, id)` comes after `position`. */
export function isAfter(position: SyncPosition, version: number, id: string): boolean {
  if (version !== position.version) return version > position.version;
  return position.id !== null && id > position.id;
}

export function compareChanges(a: { version: number; id: string }, b: { version: number; id: string }): number {
  if (a.version !== b.version) return a.version - b.version;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface DecodedCursor extends SyncPosition {
  fingerprint: string;
  partnerId: number;
  schema: number;
}

// `<schema>.<fingerprint>.<partner>.<version>[.<base64url id>]`: every part URL-safe, so the
// cursor travels in a query string unescaped, and short, because a no-change pull carries it
// both ways (the budget for that exchange is 1 KB).
const cursorPattern = /^(\d{1,6})\.([A-Za-z0-9_-]{1,64})\.(\d{1,16})\.(\d{1,16})(?:\.([A-Za-z0-9_-]{1,268}))?$/;

/** Opaque to clients, well under the 512 characters the protocol allows. */
export function encodeCursor(fingerprint: string, partnerId: number, position: SyncPosition): string {
  const base = `${syncSchemaVersion}.${fingerprint}.${partnerId}.${Math.max(position.version, 0)}`;
  return position.id === null ? base : `${base}.${Buffer.from(position.id).toString('base64url')}`;
}

/** null for anything that is not a cursor we made (the pull then answers `reset`). */
export function decodeCursor(cursor: string): DecodedCursor | null {
  const m = cursorPattern.exec(cursor);
  if (!m) return null;
  const [, schema, fingerprint, partner, version, id] = m;
  const numbers = [Number(schema), Number(partner), Number(version)];
  if (!numbers.every(Number.isSafeInteger) || !fingerprint) return null;
  const decodedId = id === undefined ? null : Buffer.from(id, 'base64url').toString('utf8');
  if (decodedId !== null && (decodedId.length === 0 || decodedId.length > 200)) return null;
  return { schema: numbers[0] as number, fingerprint, partnerId: numbers[1] as number, version: numbers[2] as number, id: decodedId };
}

const fingerprints = new WeakMap<Registry, string>();

/** A short hash of the catalog (every entry with its field specs) and the sync schema version. */
export function catalogFingerprint(registry: Registry): string {
  let value = fingerprints.get(registry);
  if (!value) {
    const body = JSON.stringify({ s: syncSchemaVersion, e: registry.list().map((i) => i.entry) });
    value = createHash('sha256').update(body).digest('base64url').slice(0, 12);
    fingerprints.set(registry, value);
  }
  return value;
}
