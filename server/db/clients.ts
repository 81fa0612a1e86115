import type { Queryable } from './pool.js';

/** A client row as the services use it. */
export interface ClientRow {
  id: number;
  name: string;
  archived: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const columns = `id, name, archived, version, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The partner's clients by name (archived ones only when asked). */
export async function listClients(db: Queryable, partnerId: number, includeArchived: boolean): Promise<ClientRow[]> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${columns} FROM clients WHERE partner_id = $1 AND ($2 OR NOT archived) ORDER BY lower(name), id`,
    [partnerId, includeArchived],
  );
  return rows;
}

/** One client, locked for update when `forUpdate` (renames and archives read, then write). */
export async function findClient(db: Queryable, partnerId: number, id: number, forUpdate = false): Promise<ClientRow | undefined> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${columns} FROM clients WHERE partner_id = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [partnerId, id],
  );
  return rows[0];
}

/** The live client holding a name (case-insensitive), if any. */
export async function findLiveClientByName(db: Queryable, partnerId: number, name: string): Promise<ClientRow | undefined> {
  const { rows } = await db.query<ClientRow>(
    `SELECT ${columns} FROM clients WHERE partner_id = $1 AND lower(name) = lower($2) AND NOT archived`,
    [partnerId, name],
  );
  return rows[0];
}

/** Inserts a client; a live name taken concurrently surfaces as a unique violation (23505). */
export async function insertClient(db: Queryable, partnerId: number, name: string): Promise<ClientRow> {
  const { rows } = await db.query<ClientRow>(`INSERT INTO clients (partner_id, name) VALUES ($1, $2) RETURNING ${columns}`, [partnerId, name]);
  return rows[0] as ClientRow;
}

/** Sets the name and/or archived flag and bumps the version. */
export async function updateClient(db: Queryable, partnerId: number, id: number, change: { name?: string; archived?: boolean }): Promise<ClientRow> {
  const { rows } = await db.query<ClientRow>(
    `UPDATE clients SET name = coalesce($3, name), archived = coalesce($4, archived), version = version + 1, updated_at = now()
      WHERE partner_id = $1 AND id = $2 RETURNING ${columns}`,
    [partnerId, id, change.name ?? null, change.archived ?? null],
  );
  return rows[0] as ClientRow;
}
