import type { Queryable } from './pool.js';

/** A mapping row: one external organization of an integration linked to a client. */
export interface MappingRow {
  id: number;
  clientId: number;
  integrationKey: string;
  externalOrgId: string;
  externalOrgName: string;
  createdBy: number | null;
  createdAt: Date;
  /** Whether the latest discovery snapshot lacks this organization (false before any snapshot). */
  missingAtVendor: boolean;
}

/**
 * Missing at the vendor, computed on read rather than stored: the snapshot changes with every
 * discovery run and a stored flag would go stale between them. Without a snapshot nothing is
 * known to be missing. Both probes are primary-key lookups. The table is aliased `m`.
 */
export const missingAtVendorSql = `(EXISTS (SELECT 1 FROM organization_snapshots s
     WHERE s.partner_id = m.partner_id AND s.integration_key = m.integration_key)
   AND NOT EXISTS (SELECT 1 FROM organization_snapshot_items i
     WHERE i.partner_id = m.partner_id AND i.integration_key = m.integration_key
       AND i.external_id = m.external_org_id AND i.change <> 'gone'))`;

const columns = `m.id, m.client_id AS "clientId", m.integration_key AS "integrationKey", m.external_org_id AS "externalOrgId",
  m.external_org_name AS "externalOrgName", m.created_by AS "createdBy", m.created_at AS "createdAt",
  ${missingAtVendorSql} AS "missingAtVendor"`;

/**
 * A client's mappings for one integration: THE lookup other server code uses (through
 * services/clients/mappings.ts getMappings), served by integration_mappings_client_idx.
 */
export async function selectClientMappings(db: Queryable, partnerId: number, clientId: number, key: string): Promise<MappingRow[]> {
  const { rows } = await db.query<MappingRow>(
    `SELECT ${columns} FROM integration_mappings m WHERE m.partner_id = $1 AND m.client_id = $2 AND m.integration_key = $3 ORDER BY m.id`,
    [partnerId, clientId, key],
  );
  return rows;
}

/** Every mapping of one integration. */
export async function listMappingsByIntegration(db: Queryable, partnerId: number, key: string): Promise<MappingRow[]> {
  const { rows } = await db.query<MappingRow>(
    `SELECT ${columns} FROM integration_mappings m WHERE m.partner_id = $1 AND m.integration_key = $2 ORDER BY m.client_id, m.id`,
    [partnerId, key],
  );
  return rows;
}

/** Every mapping of one client, across integrations. */
export async function listMappingsByClient(db: Queryable, partnerId: number, clientId: number): Promise<MappingRow[]> {
  const { rows } = await db.query<MappingRow>(
    `SELECT ${columns} FROM integration_mappings m WHERE m.partner_id = $1 AND m.client_id = $2 ORDER BY m.integration_key, m.id`,
    [partnerId, clientId],
  );
  return rows;
}

/** Who holds each of these organizations already, with the client's name (for the 409). */
export async function findHolders(
  db: Queryable,
  partnerId: number,
  key: string,
  externalOrgIds: readonly string[],
): Promise<(MappingRow & { clientName: string })[]> {
  const { rows } = await db.query<MappingRow & { clientName: string }>(
    `SELECT ${columns}, c.name AS "clientName"
       FROM integration_mappings m JOIN clients c ON c.partner_id = m.partner_id AND c.id = m.client_id
      WHERE m.partner_id = $1 AND m.integration_key = $2 AND m.external_org_id = ANY($3::text[])`,
    [partnerId, key, externalOrgIds],
  );
  return rows;
}

/** Inserts mappings in one statement; an organization already held is a unique violation (23505). */
export async function insertMappings(
  db: Queryable,
  partnerId: number,
  key: string,
  rows: readonly { clientId: number; externalOrgId: string; externalOrgName: string; createdBy: number | null }[],
): Promise<MappingRow[]> {
  if (rows.length === 0) return [];
  const result = await db.query<MappingRow>(
    `INSERT INTO integration_mappings AS m (partner_id, integration_key, client_id, external_org_id, external_org_name, created_by)
     SELECT $1, $2, r.client_id, r.org_id, r.org_name, r.created_by
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bigint[]) AS r(client_id, org_id, org_name, created_by)
     RETURNING ${columns}`,
    [partnerId, key, rows.map((r) => r.clientId), rows.map((r) => r.externalOrgId), rows.map((r) => r.externalOrgName), rows.map((r) => r.createdBy)],
  );
  return result.rows;
}

/** Deletes the mappings of these organizations and returns what was deleted. */
export async function deleteMappings(db: Queryable, partnerId: number, key: string, externalOrgIds: readonly string[]): Promise<MappingRow[]> {
  const { rows } = await db.query<MappingRow>(
    `DELETE FROM integration_mappings m WHERE m.partner_id = $1 AND m.integration_key = $2 AND m.external_org_id = ANY($3::text[]) RETURNING ${columns}`,
    [partnerId, key, externalOrgIds],
  );
  return rows;
}

/**
 * How many of a partner's mappings of one integration name an organization the latest discovery
 * snapshot lacks: what turns a healthy integration Degraded (services/integrations/health.ts).
 */
export async function countMissingAtVendor(db: Queryable, partnerId: number, key: string): Promise<number> {
  const { rows } = await db.query<{ missing: number }>(
    `SELECT count(*)::int AS missing FROM integration_mappings m
      WHERE m.partner_id = $1 AND m.integration_key = $2 AND ${missingAtVendorSql}`,
    [partnerId, key],
  );
  return rows[0]?.missing ?? 0;
}

/** The mappings of several clients at once (issue 25: the MCP clients resource reads a page of clients). */
export async function listMappingsByClients(db: Queryable, partnerId: number, clientIds: readonly number[]): Promise<MappingRow[]> {
  const { rows } = await db.query<MappingRow>(
    `SELECT ${columns} FROM integration_mappings m WHERE m.partner_id = $1 AND m.client_id = ANY($2::bigint[]) ORDER BY m.client_id, m.integration_key, m.id`,
    [partnerId, clientIds],
  );
  return rows;
}
