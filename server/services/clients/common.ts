import pg from 'pg';
import type { Client, Mapping } from '../../../shared/clients.js';
import type { ClientRow } from '../../db/clients.js';
import type { MappingRow } from '../../db/mappings.js';

/** Whether a database error is a unique violation of the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof pg.DatabaseError && error.code === '23505' && error.constraint === constraint;
}

/** A client row as the API shows it. */
export function toClient(row: ClientRow): Client {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** A mapping row as the API shows it. */
export function toMapping(row: MappingRow): Mapping {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/** What a client's audit row records of it: the fields a person changes. */
export const clientAuditView = (row: ClientRow) => ({ name: row.name, archived: row.archived });

/** What a mapping's audit row records of it. */
export const mappingAuditView = (row: MappingRow) => ({ clientId: row.clientId, externalOrgId: row.externalOrgId, externalOrgName: row.externalOrgName });
