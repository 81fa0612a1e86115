import { AppError } from '../../../shared/errors.js';
import type { Draft } from '../../../shared/localApi.js';
import { toDraft } from '../drafts/draftRows.js';
import { noteReviewError, requireRow, reviewDraft } from '../drafts/drafts.js';
import { queueDraft } from '../drafts/outbox.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { OpenCache } from '../session/session.js';

/**
 * "Apply": reviews each draft (the shared schema, as the server checks it), queues the valid
 * ones and runs a sync now, then answers with every draft's state after that attempt —
 * `applied`, `conflict`, `rejected`, or still `queued` when the server could not be reached.
 * A draft that fails review stays a draft with the reason noted on it.
 */
export async function applyNow(cache: OpenCache, box: SecretBox, ids?: readonly number[]): Promise<Draft[]> {
  const { db, engine } = cache;
  const targets = ids ?? (db.prepare("SELECT id FROM drafts WHERE state IN ('draft', 'reviewed', 'queued') ORDER BY updated_at, id").pluck().all() as number[]);
  let queued = false;
  for (const id of targets) {
    if (requireRow(db, id).state === 'draft') {
      try {
        reviewDraft(db, box, id);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        noteReviewError(db, id, error);
        continue;
      }
    }
    const state = requireRow(db, id).state;
    if (state === 'reviewed') queueDraft(db, id);
    queued ||= state === 'reviewed' || state === 'queued';
  }
  if (queued) await engine.requestSync();
  return targets.map((id) => toDraft(db, requireRow(db, id)));
}
