import type pg from 'pg';
import type { Mapping, MappingConflict, NewMapping } from '../../../shared/clients.js';
import { AppError, type FieldErrors } from '../../../shared/errors.js';
import { insertClientAudits } from '../../db/clientAudit.js';
import { deleteMappings, findHolders, insertMappings, listMappingsByClient, listMappingsByIntegration, selectClientMappings } from '../../db/mappings.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner, type Db } from '../../db/pool.js';
import type { Registry } from '../../integrations/registry.js';
import type { AuditActor } from '../integrations/actor.js';
import type { ReadScope } from '../integrations/catalog.js';
import { requireIntegration } from '../integrations/lookup.js';
import { isUniqueViolation, mappingAuditView, toMapping } from './common.js';

/** What the mapping services need from the app's dependencies. */
export interface MappingDeps {
  db: Db;
  registry: Registry;
}

/**
 * THE lookup of a client's mappings for server code (actions, reports): one partner-scoped
 * read in one round trip. Nothing else queries integration_mappings ad hoc.
 */
export function mappingLookup(db: Db): {
  getMappings(partnerId: number, clientId: number, key: string): Promise<Mapping[]>;
  /** Every mapping of one integration of the partner (issue 26: a health check over mapped tenants). */
  getIntegrationMappings(partnerId: number, key: string): Promise<Mapping[]>;
} {
  return {
    async getMappings(partnerId, clientId, key) {
      return (await readAsPartner(db, partnerId, (q) => selectClientMappings(q, partnerId, clientId, key))).map(toMapping);
    },
    async getIntegrationMappings(partnerId, key) {
      return (await readAsPartner(db, partnerId, (q) => listMappingsByIntegration(q, partnerId, key))).map(toMapping);
    },
  };
}

/**
 * Every mapping of one integration (404 for a key the registry does not know), each flagged when
 * the latest discovery no longer lists its organization. Read in the viewer's scope (own or dev).
 */
export async function getIntegrationMappings(deps: MappingDeps, scope: ReadScope, key: string): Promise<Mapping[]> {
  requireIntegration(deps.registry, key);
  return (await readAsPartner(deps.db, scope.viewerPartnerId, (q) => listMappingsByIntegration(q, scope.partnerId, key))).map(toMapping);
}

/** Every mapping of one client across integrations (404 for a client the partner does not have). */
export async function getClientMappings(db: Db, partnerId: number, clientId: number): Promise<Mapping[]> {
  return withPartner(db, partnerId, async (tx) => {
    const { rows } = await tx.query('SELECT 1 FROM clients WHERE partner_id = $1 AND id = $2', [partnerId, clientId]);
    if (rows.length === 0) throw new AppError('NOT_FOUND', 'There is no client with this id');
    return (await listMappingsByClient(tx, partnerId, clientId)).map(toMapping);
  });
}

/** One batch of one integration: what to map and which organizations to unmap. */
export interface MappingBatch {
  key: string;
  create: readonly NewMapping[];
  delete: readonly string[];
}

const conflictError = (holders: MappingConflict[]) => {
  const first = holders[0] as MappingConflict;
  const more = holders.length > 1 ? ` (and ${holders.length - 1} more already mapped)` : '';
  return new AppError('CONFLICT', `Organization ${first.externalOrgId} is already mapped to ${first.clientName}${more}`, { details: { conflicts: holders } });
};

/** Field messages for creates that name an unknown or archived client, or repeat an organization. */
async function checkCreates(tx: pg.PoolClient, partnerId: number, creates: readonly NewMapping[], fieldOf: (index: number) => string): Promise<FieldErrors> {
  const fields: FieldErrors = {};
  const ids = [...new Set(creates.map((c) => c.clientId))];
  const { rows } = await tx.query<{ id: number }>('SELECT id FROM clients WHERE partner_id = $1 AND id = ANY($2::bigint[]) AND NOT archived', [partnerId, ids]);
  const live = new Set(rows.map((r) => r.id));
  const seen = new Set<string>();
  creates.forEach((c, i) => {
    if (!live.has(c.clientId)) fields[`${fieldOf(i)}clientId`] = ['There is no such client (or it is archived)'];
    if (seen.has(c.externalOrgId)) fields[`${fieldOf(i)}externalOrgId`] = ['This organization appears twice'];
    seen.add(c.externalOrgId);
  });
  return fields;
}

/**
 * Applies deletes, then creates, of one integration in ONE transaction: all or nothing. Deletes
 * go first so a batch can move an organization from one client to another. An organization
 * still held by a client is a 409 naming that client; an unknown client is a 400 on its field.
 * Every change writes an audit row. `fieldOf` names fields as the caller sent them.
 */
export async function applyMappings(
  deps: MappingDeps,
  partnerId: number,
  actor: AuditActor,
  batch: MappingBatch & { fieldOf?: (index: number) => string },
): Promise<{ created: Mapping[]; deleted: number }> {
  requireIntegration(deps.registry, batch.key);
  const orgIds = batch.create.map((c) => c.externalOrgId);
  try {
    return await withPartner(deps.db, partnerId, async (tx) => {
      const fields = await checkCreates(tx, partnerId, batch.create, batch.fieldOf ?? ((i) => `create.${i}.`));
      if (Object.keys(fields).length > 0) throw new AppError('VALIDATION_FAILED', 'Some mappings cannot be made', { fields });
      const deleted = batch.delete.length > 0 ? await deleteMappings(tx, partnerId, batch.key, batch.delete) : [];
      const holders = orgIds.length > 0 ? await findHolders(tx, partnerId, batch.key, orgIds) : [];
      if (holders.length > 0) throw conflictError(holders.map((h) => ({ externalOrgId: h.externalOrgId, clientId: h.clientId, clientName: h.clientName })));
      const created = await insertMappings(
        tx,
        partnerId,
        batch.key,
        batch.create.map((c) => ({ ...c, createdBy: actor.userId })),
      );
      await insertClientAudits(tx, partnerId, [
        ...deleted.map((row) => ({ clientId: row.clientId, integrationKey: batch.key, action: 'mapping_deleted' as const, ...actor, before: mappingAuditView(row), after: null })),
        ...created.map((row) => ({ clientId: row.clientId, integrationKey: batch.key, action: 'mapping_created' as const, ...actor, before: null, after: mappingAuditView(row) })),
      ]);
      return { created: created.map(toMapping), deleted: deleted.length };
    });
  } catch (error) {
    // Another request mapped one of these organizations after our check: the same 409, naming it.
    if (!isUniqueViolation(error, 'integration_mappings_org_key')) throw error;
    const holders = await withPartner(deps.db, partnerId, (tx) => findHolders(tx, partnerId, batch.key, orgIds));
    throw conflictError(holders.map((h) => ({ externalOrgId: h.externalOrgId, clientId: h.clientId, clientName: h.clientName })));
  }
}

/** Maps one organization to a client (a batch of one). */
export async function createMapping(deps: MappingDeps, partnerId: number, actor: AuditActor, input: NewMapping & { key: string }): Promise<Mapping> {
  const { key, ...mapping } = input;
  const { created } = await applyMappings(deps, partnerId, actor, { key, create: [mapping], delete: [], fieldOf: () => '' });
  return created[0] as Mapping;
}

/** Unmaps one organization; 404 when it is not mapped. */
export async function deleteMapping(deps: MappingDeps, partnerId: number, actor: AuditActor, input: { key: string; externalOrgId: string }): Promise<{ deleted: number }> {
  requireIntegration(deps.registry, input.key);
  return withPartner(deps.db, partnerId, async (tx) => {
    const deleted = await deleteMappings(tx, partnerId, input.key, [input.externalOrgId]);
    if (deleted.length === 0) throw new AppError('NOT_FOUND', 'This organization is not mapped');
    await insertClientAudits(
      tx,
      partnerId,
      deleted.map((row) => ({ clientId: row.clientId, integrationKey: input.key, action: 'mapping_deleted' as const, ...actor, before: mappingAuditView(row), after: null })),
    );
    return { deleted: deleted.length };
  });
}
