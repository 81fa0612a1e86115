import { AppError } from '../../../shared/errors.js';
import type { Client } from '../../../shared/clients.js';
import { insertClientAudits } from '../../db/clientAudit.js';
import { findClient, findLiveClientByName, insertClient, listClients, updateClient, type ClientRow } from '../../db/clients.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner, type Db } from '../../db/pool.js';
import type { AuditActor } from '../integrations/actor.js';
import type { ReadScope } from '../integrations/catalog.js';
import { clientAuditView, isUniqueViolation, toClient } from './common.js';

const nameTaken = (name: string) =>
  new AppError('CONFLICT', `A client named "${name}" already exists`, { fields: { name: ['Another client already has this name'] } });
const notFound = () => new AppError('NOT_FOUND', 'There is no client with this id');

/**
 * A partner's clients by name; archived ones only when asked. Read in the viewer's scope: its
 * own, or the dev partner's, whose row-level security lets it read (never write) any partner.
 */
export async function getClients(db: Db, scope: ReadScope, includeArchived = false): Promise<Client[]> {
  return (await readAsPartner(db, scope.viewerPartnerId, (q) => listClients(q, scope.partnerId, includeArchived))).map(toClient);
}

/**
 * Runs a client write; a live name taken by a concurrent write (the unique index, case-blind)
 * becomes the same 409 as one found beforehand.
 */
async function nameGuarded<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'clients_live_name_key')) throw nameTaken(name);
    throw error;
  }
}

/** Creates a client; its name must be free among the partner's live clients (any case). */
export function createClient(db: Db, partnerId: number, actor: AuditActor, name: string): Promise<Client> {
  return nameGuarded(name, () =>
    withPartner(db, partnerId, async (tx) => {
      if (await findLiveClientByName(tx, partnerId, name)) throw nameTaken(name);
      const row = await insertClient(tx, partnerId, name);
      await insertClientAudits(tx, partnerId, [
        { clientId: row.id, integrationKey: null, action: 'client_created', ...actor, before: null, after: clientAuditView(row) },
      ]);
      return toClient(row);
    }),
  );
}

/** Reads the client to change, refusing an unknown one and, when given, a stale base version. */
async function lockClient(tx: Parameters<typeof findClient>[0], partnerId: number, id: number, baseVersion?: number): Promise<ClientRow> {
  const row = await findClient(tx, partnerId, id, true);
  if (!row) throw notFound();
  if (baseVersion !== undefined && baseVersion !== row.version) {
    throw new AppError('CONFLICT', 'This client was changed since you loaded it', { details: toClient(row) });
  }
  return row;
}

/** Renames a client (archived ones too); the new name must be free among live clients. */
export function renameClient(db: Db, partnerId: number, actor: AuditActor, input: { id: number; name: string; baseVersion?: number | undefined }): Promise<Client> {
  return nameGuarded(input.name, () =>
    withPartner(db, partnerId, async (tx) => {
      const before = await lockClient(tx, partnerId, input.id, input.baseVersion);
      if (before.name === input.name) return toClient(before);
      const holder = before.archived ? undefined : await findLiveClientByName(tx, partnerId, input.name);
      if (holder && holder.id !== before.id) throw nameTaken(input.name);
      const after = await updateClient(tx, partnerId, input.id, { name: input.name });
      await insertClientAudits(tx, partnerId, [
        { clientId: after.id, integrationKey: null, action: 'client_renamed', ...actor, before: clientAuditView(before), after: clientAuditView(after) },
      ]);
      return toClient(after);
    }),
  );
}

/**
 * Archives a client: it leaves the default list and frees its name. Its mappings stay (an
 * archived client still tells support who an organization belonged to) and it takes no new ones.
 * Archiving an archived client changes nothing and writes no audit row.
 */
export function archiveClient(db: Db, partnerId: number, actor: AuditActor, id: number): Promise<Client> {
  return withPartner(db, partnerId, async (tx) => {
    const before = await lockClient(tx, partnerId, id);
    if (before.archived) return toClient(before);
    const after = await updateClient(tx, partnerId, id, { archived: true });
    await insertClientAudits(tx, partnerId, [
      { clientId: id, integrationKey: null, action: 'client_archived', ...actor, before: clientAuditView(before), after: clientAuditView(after) },
    ]);
    return toClient(after);
  });
}
