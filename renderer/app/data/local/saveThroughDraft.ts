import { AppError } from '../../../../shared/errors.js';
import type { SettingsInput } from '../../../../shared/integrations/fields.js';
import type { SaveOutcome } from '../../../../shared/localApi.js';
import type { MutationKind } from '../../../../shared/sync.js';
import type { LocalClient } from '../../localClient.js';

/**
 * Every change goes through the core's drafts, so nothing typed is lost whatever happens. The
 * draft simply stays a draft when the app is offline, when review mode is on, or when the
 * integration already had a pending draft (the form was editing it). Otherwise it is reviewed
 * and sent at once, and the form gets the server's answer: applied (with the new detail), a
 * refusal shown inline (and no draft left behind), or a conflict kept as a draft to resolve.
 */
export async function saveThroughDraft(client: LocalClient, input: { key: string; kind: MutationKind; values: SettingsInput }): Promise<SaveOutcome> {
  const [view, status] = await Promise.all([client.catalog.get.query({ key: input.key }), client.sync.status.query()]);
  const existing = view.draft;
  // An open draft keeps its kind (it knows whether the integration was configured when it began).
  const kind = input.kind === 'delete' || !existing || existing.kind === 'delete' ? input.kind : existing.kind;
  // The form sends every field (secrets it keeps as the mask): a draft must stand on its own.
  const draft = await client.drafts.save.mutate({ integrationKey: input.key, kind, values: input.values });
  if (existing || status.reviewMode || status.connection !== 'online' || status.authRequired) return { outcome: 'drafted', draft };

  const dropDraft = () => client.drafts.discard.mutate({ id: draft.id }).catch(() => undefined);
  try {
    await client.drafts.review.mutate({ id: draft.id });
  } catch (error) {
    await dropDraft();
    throw error;
  }
  const [after] = await client.drafts.applyNow.mutate({ ids: [draft.id] });
  if (!after) return { outcome: 'drafted', draft };
  switch (after.state) {
    case 'applied':
      return { outcome: 'applied', detail: (await client.catalog.get.query({ key: input.key })).detail };
    case 'rejected':
      await dropDraft();
      throw AppError.fromBody(after.error ?? { code: 'BAD_REQUEST', message: 'The server refused the change.' });
    default:
      // A conflict to resolve, or still queued because the server went away meanwhile.
      return { outcome: 'drafted', draft: after };
  }
}
