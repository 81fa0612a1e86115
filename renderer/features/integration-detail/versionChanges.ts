import type { AuditChange } from '../../../shared/integrations/catalog.js';
import type { ConfigVersion } from '../../../shared/integrations/versions.js';

/**
 * What restoring `target` changes back, from the current version: each field some newer version
 * changed, with today's value as `before` (the newest change's after) and the target's as `after`
 * (the oldest change's before). Fields that came back to the target's value drop out; a secret is
 * kept (its values are never known here, only that it changed). `complete` is false when the
 * list does not reach back to the target (more than `maxVersionsListed` ago).
 */
export function changesBack(versions: readonly ConfigVersion[], target: number): { changes: AuditChange[]; complete: boolean } {
  const newer = versions.filter((v) => v.version > target).sort((a, b) => a.version - b.version);
  const current = versions.find((v) => v.current)?.version ?? newer.at(-1)?.version ?? target;
  const complete = newer.length === current - target;
  const byField = new Map<string, AuditChange>();
  for (const v of newer) {
    for (const c of v.changes) {
      const known = byField.get(c.field);
      byField.set(c.field, { field: c.field, secret: c.secret, before: c.after, after: known ? known.after : c.before });
    }
  }
  const changes = [...byField.values()].filter((c) => c.secret || c.before !== c.after);
  return { changes, complete };
}

/** The newest earlier version that passed a check: the one to go back to when the current fails. */
export function lastPassing(versions: readonly ConfigVersion[]): ConfigVersion | null {
  return versions.find((v) => !v.current && v.passedCheck) ?? null;
}

/** Field key → label, for describeChange. */
export function fieldLabels(fields: readonly { key: string; label: string }[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.key, f.label]));
}
