import { AppError } from '../../../shared/errors.js';
import { rollbackInputSchema } from '../../../shared/integrations/versions.js';
import { setCredentialPolicyInputSchema } from '../../../shared/integrations/credentialAge.js';
import type { LocalServices } from '../api/contract.js';
import { getIntegration } from '../cache/pulledCatalog.js';
import type { VersionsServer } from '../server/contract.js';
import type { DesktopSession } from '../session/session.js';
import type { CoreEvents } from './events.js';

/** The local API's version calls, as api/contract.ts declares them. */
export type VersionsService = Pick<LocalServices['integrations'], 'versions' | 'rollback' | 'credentialAge' | 'setCredentialPolicy'>;

/** What the card says offline: versions live on the server and are not cached. */
export const versionsNeedServer = 'Version history is kept on the server; it needs a connection';

/**
 * Version history and rollback (issue 18). Online only, on purpose: old versions hold secrets
 * (as ciphertexts on the server) that have no business in the desktop cache, and a rollback is
 * a server-side restore that cannot be drafted offline against a list nobody has seen. Any user
 * of the own partner reads the list; partner admins roll back.
 */
export function createVersions(options: { session: DesktopSession; server: VersionsServer; events: CoreEvents }): VersionsService {
  const { session, server, events } = options;
  const online = () => {
    if (!session.serverAccess()?.token) throw new AppError('UNAVAILABLE', versionsNeedServer);
  };
  return {
    versions: async (key) => {
      session.requireOwnPartner();
      online();
      return server.versions(key);
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
      online();
      let restored;
      try {
        restored = await server.rollback(input);
      } catch (error) {
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
      return cached && (cached.state.version ?? 0) >= (restored.state.version ?? 0) ? cached : restored;
    },
  };
}
