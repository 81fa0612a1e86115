import type { ClientAuditEntry } from '../../../shared/clients.js';
import { listClientAudits } from '../../db/clientAudit.js';
import { readAsPartner } from '../../db/partnerRead.js';
import type { Db } from '../../db/pool.js';

const defaultLimit = 50;

/**
 * A page of who changed which client or mapping, newest first. Every partner member reads it:
 * the trail is what a technician checks when a ticket lands on the wrong client.
 */
export async function getClientAudit(
  db: Db,
  partnerId: number,
  page: { clientId?: number | undefined; before?: number | undefined; limit?: number | undefined } = {},
): Promise<{ items: ClientAuditEntry[]; nextCursor: number | null }> {
  const limit = page.limit ?? defaultLimit;
  // One row more than asked says whether there is a next page without a count query.
  const rows = await readAsPartner(db, partnerId, (q) => listClientAudits(q, partnerId, { ...page, limit: limit + 1 }));
  const items = rows.slice(0, limit).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
