import { AppError } from '../../../shared/errors.js';
import { rollbackInputSchema, versionsOutputSchema, type RollbackInput } from '../../../shared/integrations/versions.js';
import type { SaveOutcome } from '../../../shared/localApi.js';
import { getPreference } from '../cache/preferences.js';
import { getCachedRead, putCachedRead } from '../cache/serverReads.js';
import { reviewDraft } from '../drafts/drafts.js';
import { queueDraft } from '../drafts/outbox.js';
import { saveRollbackDraft } from '../drafts/rollbackDrafts.js';
import type { SecretBox } from '../secrets/secretBox.js';
import { setCredentialPolicyInputSchema } from '../../../shared/integrations/credentialAge.js';
import type { LocalServices } from '../api/contract.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import type { VersionsServer } from '../server/contract.js';
import type { DesktopSession, OpenCache } from '../session/session.js';
import type { CoreEvents } from './events.js';

/** The local API's version calls, as api/contract.ts declares them. */
export type VersionsService = Pick<LocalServices['integrations'], 'versions' | 'rollback' | 'credentialAge' | 'setCredentialPolicy'>;

/** What the card says offline before the list was ever read here. */
export const versionsNeedServer = 'Version history is kept on the server; it needs a connection the first time';

/**
 * Version history and rollback (issue 18). The list is read from the server and kept as a copy
 * (who, when and which fields changed; never a secret, not even a ciphertext), so it reads
 * offline with its age. A rollback online is the server's restore, checked at once; without the
 * server it becomes a draft that restores that version (drafts/rollbackDrafts.ts) and follows
 * the rule of every change: review mode on → waits in Pending changes; otherwise queued and sent
 * by itself, exactly once, when the server answers again. Any user of the own partner reads the
 * list; partner admins roll back.
 */
export function createVersions(options: { session: DesktopSession; server: VersionsServer; events: CoreEvents; box: SecretBox }): VersionsService {
  const { session, server, events, box } = options;
  const online = () => {
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', versionsNeedServer);
  };
  const unreachable = (error: unknown) => error instanceof AppError && error.code === 'UNAVAILABLE';
  return {
    versions: async (key) => {
      const cache = session.requireOwnPartner();
      const doc = `versions:${key}`;
      try {
        online();
        const fresh = await server.versions(key);
        putCachedRead(cache.db, doc, fresh, new Date().toISOString());
        return fresh;
      } catch (error) {
        const copy = unreachable(error) ? getCachedRead(cache.db, doc, versionsOutputSchema) : null;
        if (!copy) throw error;
        return { ...copy.value, savedAt: copy.fetchedAt };
      }
    },
    // Ages are figures of the server's rows: read there, like the versions they come from.
    credentialAge: async (key) => {
      session.requireOwnPartner();
      online();
      return server.credentialAge(key);
    },
    // A partner-wide setting on the server (no cached copy): partner admins, online.
    setCredentialPolicy: async (raw) => {
      const input = setCredentialPolicyInputSchema.parse(raw);
      session.requireWritable();
      online();
      return server.setCredentialPolicy(input);
    },
    rollback: async (raw) => {
      const input = rollbackInputSchema.parse(raw);
      const cache = session.requireWritable();
      let restored;
      try {
        online();
        if (cache.engine.status().connection !== 'online') throw new AppError('UNAVAILABLE', 'The server cannot be reached');
        restored = await server.rollback(input);
      } catch (error) {
        if (unreachable(error)) return draftRollback(cache, box, input);
        // Someone changed it meanwhile: pull now, so the detail (and its baseVersion) is the server's again.
        if (error instanceof AppError && error.code === 'CONFLICT') {
          await cache.engine.requestSync();
          events.emit('catalog');
        }
        throw error;
      }
      // As after an applied save: pull now, so the cached detail (the form, the status, the audit)
      // shows the restored settings and the new version before the call answers.
      await cache.engine.requestSync();
      events.emit('catalog');
      const cached = getIntegration(cache.db, input.key);
      // The pull may have failed meanwhile (the server went away): the server's answer is still true.
      const detail = cached && (cached.state.version ?? 0) >= (restored.state.version ?? 0) ? cached : restored;
      return { outcome: 'applied', detail };
    },
  };

  /** Offline: the rollback as a draft, reviewed and queued unless review mode keeps it for review. */
  function draftRollback(cache: OpenCache, secretBox: SecretBox, input: RollbackInput): SaveOutcome {
    const draft = saveRollbackDraft(cache.db, input);
    // Pending changes, the catalog card and the pending count all show it.
    events.emit('drafts', 'catalog', 'sync');
    if (getPreference(cache.db, 'reviewMode') === 'on') return { outcome: 'drafted', draft };
    reviewDraft(cache.db, secretBox, draft.id);
    const queued = queueDraft(cache.db, draft.id);
    // The engine sends it by itself once the server answers; this only tries at once.
    void cache.engine.requestSync().catch(() => undefined);
    return { outcome: 'drafted', draft: queued };
  }
}
