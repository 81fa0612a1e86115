import { AppError } from '../../../shared/errors.js';
import type { SaveDraftInput, SaveOutcome } from '../../../shared/localApi.js';
import { saveDraftInputSchema } from '../../../shared/localApi.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import { getPreference } from '../cache/preferences.js';
import { getOpenDraftRow, toDraft } from '../drafts/draftRows.js';
import { discardDraft, requireRow, reviewDraft, saveDraft } from '../drafts/drafts.js';
import { queueDraft } from '../drafts/outbox.js';
import type { SecretBox } from '../secrets/secretBox.js';
import type { OpenCache } from '../session/session.js';

/**
 * The admin saved the configuration form. One rule, whatever the connection:
 * - review mode on, or an open draft of the integration (the form was editing it): the change is
 *   a draft that waits for review in Pending changes;
 * - otherwise it is reviewed and queued at once. Online the sync runs now and the answer is the
 *   server's (applied, a refusal thrown with its field errors and no draft left behind, or a
 *   conflict kept to resolve); offline it stays queued and the engine sends it by itself when the
 *   server answers again — exactly once, by its mutation id.
 * A change that fails review is thrown the same way and leaves no draft behind.
 */
export async function submitChange(cache: OpenCache, box: SecretBox, rawInput: SaveDraftInput): Promise<SaveOutcome> {
  const { db, engine } = cache;
  const input = saveDraftInputSchema.parse(rawInput);
  const existing = getOpenDraftRow(db, input.integrationKey);
  // An open draft keeps its kind: it knows whether the integration was configured when it began.
  const kind = input.kind === 'delete' || !existing || existing.kind === 'delete' ? input.kind : existing.kind;
  const draft = saveDraft(db, box, { ...input, kind });
  if (existing || getPreference(db, 'reviewMode') === 'on') return { outcome: 'drafted', draft };

  try {
    reviewDraft(db, box, draft.id);
  } catch (error) {
    discardDraft(db, draft.id);
    throw error;
  }
  queueDraft(db, draft.id);
  const status = engine.status();
  // Offline (or signed out) there is nothing to wait for: the engine's retries send it.
  if (status.connection !== 'online' || status.authRequired) return { outcome: 'drafted', draft: toDraft(db, requireRow(db, draft.id)) };

  await engine.requestSync();
  const after = requireRow(db, draft.id);
  switch (after.state) {
    case 'applied': {
      const detail = getIntegration(db, input.integrationKey);
      if (detail) return { outcome: 'applied', detail };
      break;
    }
    case 'rejected': {
      const refused = toDraft(db, after).error;
      discardDraft(db, draft.id);
      throw AppError.fromBody(refused ?? { code: 'BAD_REQUEST', message: 'The server refused the change.' });
    }
  }
  // A conflict to resolve, or still queued because the server went away meanwhile.
  return { outcome: 'drafted', draft: toDraft(db, after) };
}
