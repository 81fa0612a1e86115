import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonicalJson.js';

// Moved to shared/ so the desktop core compares with the same rule (offline automation edits).
export { canonicalJson };

/** sha256 (hex) of the canonical JSON of a parsed input: what an idempotency key is bound to. */
export function inputHash(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}
