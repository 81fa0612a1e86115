import { AppError } from '../../../../shared/errors.js';
import type { ActionContext } from '../../actions.js';
import type { SyncroApi, SyncroTicketWithComments } from '../client.js';
import { syncroActionPermissions } from '../settings.js';
import { guarded, type SyncroRun } from './call.js';

/**
 * Reads the ticket a write is about and, when the caller names a client, makes sure the ticket
 * belongs to one of that client's mapped Syncro customers: a comment meant for Dataforth must
 * never land on another client's ticket because a number was mistyped. Nothing is written on a
 * refusal. Returns the ticket and the mapped customer's name (null without a client).
 */
export async function ticketForWrite(ctx: ActionContext, run: SyncroRun, api: SyncroApi, ticketId: string, clientId: number | undefined): Promise<{ ticket: SyncroTicketWithComments; customerName: string | null }> {
  const customers = clientId === undefined ? null : await ctx.mappedOrganizations(clientId);
  const ticket = await guarded(run, api, { doing: 'read the ticket', permission: syncroActionPermissions.ticketDetails, ticketId }, () => api.ticket(run.call, ticketId));
  if (!customers) return { ticket, customerName: null };
  const owner = customers.find((c) => ticket.customer_id !== null && ticket.customer_id !== undefined && c.id === String(ticket.customer_id));
  if (!owner) {
    const clientName = customers[0]?.clientName ?? `client ${clientId}`;
    const number = ticket.number ?? ticket.id;
    const belongsTo = ticket.customer_business_then_name ? `Syncro customer "${ticket.customer_business_then_name}"` : 'a Syncro customer';
    throw new AppError('CONFLICT', `Ticket #${number} belongs to ${belongsTo}, which is not mapped to ${clientName}; nothing was sent to Syncro.`, {
      details: { ticketId, customerId: ticket.customer_id ?? null },
    });
  }
  return { ticket, customerName: owner.name };
}
