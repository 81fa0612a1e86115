import type { RefreshTicketLinksOutput, TicketLink, TicketLinkType } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import { findClient } from '../../db/clients.js';
import { readAsPartner } from '../../db/partnerRead.js';
import { withPartner } from '../../db/pool.js';
import { deleteTicketLink, listTicketLinks, refreshTicketLink, upsertTicketLink } from '../../db/ticketLinks.js';
import type { AppDeps } from '../../deps.js';
import { toTicketLink } from '../actions/views.js';
import type { ReadScope } from '../integrations/catalog.js';
import { requireIntegration } from '../integrations/lookup.js';
import type { Principal } from '../principal.js';
import { readTicket } from './readTicket.js';

// A client's links to tickets at a vendor (issue 15, the specification's ticket_links). Made by a
// run with `linkTicket` (exactlyOnce.ts) or by hand here; number, subject and status are the
// vendor's as last read, refreshed on demand through the integration's `tickets.get` action.

const noClient = () => new AppError('NOT_FOUND', 'There is no client with this id');

/** One client's links, newest first; 404 for a client the partner in scope does not have. */
export async function clientTicketLinks(deps: AppDeps, scope: ReadScope, clientId: number): Promise<TicketLink[]> {
  return withPartner(deps.db, scope.viewerPartnerId, async (tx) => {
    if (!(await findClient(tx, scope.partnerId, clientId))) throw noClient();
    return (await listTicketLinks(tx, scope.partnerId, clientId)).map(toTicketLink);
  });
}

/** Links a ticket by hand: the ticket is read at the vendor first (it must exist), then stored. */
export async function createTicketLink(
  deps: AppDeps,
  principal: Principal,
  input: { clientId: number; integrationKey: string; ticketId: string; linkType: TicketLinkType },
): Promise<TicketLink> {
  const { partnerId } = principal;
  const integration = requireIntegration(deps.registry, input.integrationKey);
  if (!(await readAsPartner(deps.db, partnerId, (q) => findClient(q, partnerId, input.clientId)))) throw noClient();
  // The vendor call happens before the transaction: no row lock waits on a vendor.
  const ticket = await readTicket(deps, principal, integration, input.ticketId);
  return withPartner(deps.db, partnerId, async (tx) => {
    if (!(await findClient(tx, partnerId, input.clientId))) throw noClient();
    const row = await upsertTicketLink(tx, partnerId, { ...ticket, clientId: input.clientId, integrationKey: integration.entry.key, linkType: input.linkType, createdBy: principal.userId });
    return toTicketLink(row);
  });
}

export async function removeTicketLink(deps: AppDeps, principal: Principal, id: number): Promise<{ deleted: number }> {
  const deleted = await withPartner(deps.db, principal.partnerId, (tx) => deleteTicketLink(tx, principal.partnerId, id));
  if (!deleted) throw new AppError('NOT_FOUND', 'There is no ticket link with this id');
  return { deleted: 1 };
}

/**
 * Re-reads every link of a client at its vendor. Each link is read on its own: one that fails
 * (ticket deleted, integration in Error) stays as it was and is named in `failed` with the
 * reason, and the others are refreshed all the same.
 */
export async function refreshClientTicketLinks(deps: AppDeps, principal: Principal, clientId: number): Promise<RefreshTicketLinksOutput> {
  const { partnerId } = principal;
  const links = await clientTicketLinks(deps, { partnerId, viewerPartnerId: partnerId }, clientId);
  const failed: RefreshTicketLinksOutput['failed'] = [];
  const reads = await Promise.all(
    links.map(async (link) => {
      try {
        const integration = requireIntegration(deps.registry, link.integrationKey);
        return { link, ticket: await readTicket(deps, principal, integration, link.ticketId) };
      } catch (error) {
        failed.push({ id: link.id, integrationKey: link.integrationKey, ticketId: link.ticketId, message: error instanceof AppError ? error.message : 'The ticket could not be read' });
        return { link, ticket: undefined };
      }
    }),
  );
  await withPartner(deps.db, partnerId, async (tx) => {
    for (const { link, ticket } of reads) if (ticket) await refreshTicketLink(tx, partnerId, link.id, ticket);
  });
  failed.sort((a, b) => a.id - b.id);
  return { items: await clientTicketLinks(deps, { partnerId, viewerPartnerId: partnerId }, clientId), failed };
}
