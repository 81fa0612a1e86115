import type { TicketLinkType } from '../../shared/actions.js';
import type { Queryable } from './pool.js';

// Links from a client to an external ticket (issue 15). Every query names its partner.

export interface TicketLinkRow {
  id: number;
  partnerId: number;
  clientId: number;
  integrationKey: string;
  ticketId: string;
  number: string | null;
  subject: string | null;
  status: string | null;
  url: string | null;
  linkType: TicketLinkType;
  createdBy: number | null;
  createdAt: Date;
  refreshedAt: Date;
}

const columns = `id, partner_id AS "partnerId", client_id AS "clientId", integration_key AS "integrationKey",
  ticket_id AS "ticketId", number, subject, status, url, link_type AS "linkType", created_by AS "createdBy",
  created_at AS "createdAt", refreshed_at AS "refreshedAt"`;

export async function listTicketLinks(db: Queryable, partnerId: number, clientId: number): Promise<TicketLinkRow[]> {
  const { rows } = await db.query<TicketLinkRow>(`SELECT ${columns} FROM ticket_links WHERE partner_id = $1 AND client_id = $2 ORDER BY created_at DESC, id DESC`, [partnerId, clientId]);
  return rows;
}

export async function findTicketLink(db: Queryable, partnerId: number, id: number): Promise<TicketLinkRow | undefined> {
  const { rows } = await db.query<TicketLinkRow>(`SELECT ${columns} FROM ticket_links WHERE partner_id = $1 AND id = $2`, [partnerId, id]);
  return rows[0];
}

export interface TicketFields {
  number: string | null;
  subject: string | null;
  status: string | null;
  url: string | null;
}

/** The vendor's text, cut to what the columns hold (a vendor may send a longer subject). */
const clip = (value: string | null, max: number) => (value === null ? null : value.slice(0, max));

/**
 * Stores a link, or refreshes the one that exists for the same client, integration, ticket and
 * type (a second comment on the same ticket is the same link, read again).
 */
export async function upsertTicketLink(
  db: Queryable,
  partnerId: number,
  link: { clientId: number; integrationKey: string; ticketId: string; linkType: TicketLinkType; createdBy: number | null } & TicketFields,
): Promise<TicketLinkRow> {
  const { rows } = await db.query<TicketLinkRow>(
    `INSERT INTO ticket_links (partner_id, client_id, integration_key, ticket_id, number, subject, status, url, link_type, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT ON CONSTRAINT ticket_links_once DO UPDATE
       SET number = EXCLUDED.number, subject = EXCLUDED.subject, status = EXCLUDED.status, url = EXCLUDED.url, refreshed_at = now()
     RETURNING ${columns}`,
    [partnerId, link.clientId, link.integrationKey, link.ticketId, clip(link.number, 100), clip(link.subject, 1000), clip(link.status, 100), clip(link.url, 2000), link.linkType, link.createdBy],
  );
  return rows[0] as TicketLinkRow;
}

export async function refreshTicketLink(db: Queryable, partnerId: number, id: number, fields: TicketFields): Promise<TicketLinkRow | undefined> {
  const { rows } = await db.query<TicketLinkRow>(
    `UPDATE ticket_links SET number = $3, subject = $4, status = $5, url = $6, refreshed_at = now() WHERE partner_id = $1 AND id = $2 RETURNING ${columns}`,
    [partnerId, id, clip(fields.number, 100), clip(fields.subject, 1000), clip(fields.status, 100), clip(fields.url, 2000)],
  );
  return rows[0];
}

export async function deleteTicketLink(db: Queryable, partnerId: number, id: number): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM ticket_links WHERE partner_id = $1 AND id = $2', [partnerId, id]);
  return (rowCount ?? 0) > 0;
}
