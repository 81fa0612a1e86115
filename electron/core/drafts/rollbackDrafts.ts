import { AppError } from '../../../shared/errors.js';
import type { Draft } from '../../../shared/localApi.js';
import { rollbackInputSchema, type RollbackInput } from '../../../shared/integrations/versions.js';
import type { CacheDb } from '../db/types.js';
import { getDraftRow, getOpenDraftRow, toDraft } from './draftRows.js';
import { requireIntegration } from './drafts.js';

/**
 * A rollback chosen while the server cannot be reached (issue 18 §1): a draft of the
 * configuration that restores version `toVersion`, built on the version the admin was looking
 * at. It holds no values: the old settings (and their secrets) are the server's to read, and it
 * checks them against today's rules when the draft is sent. Like any draft it is reviewed,
 * queued, sent exactly once by its mutation id, and a change made on the server meanwhile makes
 * it a conflict (take theirs, or roll back anyway over the newer version).
 */
export function saveRollbackDraft(db: CacheDb, rawInput: RollbackInput, now = new Date()): Draft {
  const input = rollbackInputSchema.parse(rawInput);
  return db.transaction(() => {
    const detail = requireIntegration(db, input.key);
    const current = detail.state.version;
    if (current === null) throw new AppError('BAD_REQUEST', `${detail.name} is not configured; there is nothing to roll back`);
    if (input.baseVersion !== current) throw new AppError('CONFLICT', 'This integration changed since the list was shown; check it and try once more');
    if (input.toVersion === current) throw new AppError('CONFLICT', `Version ${current} is the one in force already`);
    if (input.toVersion > current) throw new AppError('NOT_FOUND', `There is no version ${input.toVersion} of this configuration`, { fields: { toVersion: ['There is no such version'] } });
    if (getOpenDraftRow(db, input.key)) {
      throw new AppError('CONFLICT', `${detail.name} has a change that is not sent yet; apply or discard it in Pending changes first`);
    }
    const stamp = now.toISOString();
    const id = db
      .prepare(
        `INSERT INTO drafts (integration_key, kind, state, base_version, base_json, values_json, restore_from, created_at, updated_at)
         VALUES (?, 'reconfigure', 'draft', ?, ?, '{}', ?, ?, ?)`,
      )
      .run(input.key, current, JSON.stringify(detail.settings), input.toVersion, stamp, stamp).lastInsertRowid;
    const row = getDraftRow(db, Number(id));
    if (!row) throw new AppError('INTERNAL', 'The rollback could not be saved');
    return toDraft(db, row);
  }).immediate();
}
