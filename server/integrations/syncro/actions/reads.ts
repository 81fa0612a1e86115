import {
  syncroCustomersFindInput,
  syncroCustomersFindOutput,
  syncroTicketsFindInput,
  syncroTicketsFindOutput,
  syncroTicketsGetInput,
  syncroTicketsGetOutput,
  type SyncroTicketSummary,
} from '../../../../shared/actions/syncro.js';
import { defineAction } from '../../actions.js';
import { customerName, customerUrl } from '../organizations.js';
import { syncroActionPermissions, syncroPermissions } from '../settings.js';
import { externalTicket, guarded, mapLimit, openRun, ticketSummary, type SyncroActionDeps } from './call.js';

/** Customers asked for at once when a client maps to several (the one Syncro budget paces them anyway). */
const customerConcurrency = 4;

const newestFirst = (a: SyncroTicketSummary, b: SyncroTicketSummary) =>
  (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || Number(b.id) - Number(a.id);

/** The read actions: customers by text, a client's tickets, one ticket with its comments. */
export function syncroReadActions(deps: SyncroActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'syncro.customers.find',
      label: 'Find Syncro customers',
      description: 'Customers of your Syncro account whose name or e-mail contains the text (the first page Syncro returns).',
      sideEffectful: false,
      clientScoped: false,
      input: syncroCustomersFindInput,
      output: syncroCustomersFindOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const page = await guarded(run, api, { doing: 'search customers', permission: syncroPermissions.customers }, () => api.searchCustomers(run.call, input.query));
        return {
          output: {
            customers: page.items.map((c) => ({ id: String(c.id), name: customerName(c), email: c.email ?? null, url: customerUrl(run.call.baseUrl, c.id) })),
            truncated: (page.meta?.total_pages ?? 1) > 1,
          },
        };
      },
    }),

    defineAction({
      id: 'syncro.tickets.find',
      label: "Find a client's Syncro tickets",
      description: "Tickets of the Syncro customers mapped to the client, by text and status, newest first.",
      sideEffectful: false,
      clientScoped: true,
      input: syncroTicketsFindInput,
      output: syncroTicketsFindOutput,
      async run(ctx, input) {
        const customers = await ctx.mappedOrganizations(input.clientId);
        const run = openRun(ctx, deps);
        // One `GET /tickets?customer_id=` per mapped customer: the first page of each is enough
        // to pick a ticket from, and `truncated` says when there was more.
        const pages = await mapLimit(customers, customerConcurrency, (customer) =>
          guarded(run, api, { doing: 'list tickets', permission: syncroPermissions.tickets }, async () => ({
            customer,
            page: await api.findTickets(run.call, { customerId: customer.id, query: input.query, status: input.status }),
          })),
        );
        const all = pages.flatMap(({ customer, page }) => page.items.map((t) => ticketSummary(run, t, customer.name))).sort(newestFirst);
        const more = pages.some(({ page }) => (page.meta?.total_pages ?? 1) > 1);
        return { output: { tickets: all.slice(0, input.limit), truncated: more || all.length > input.limit } };
      },
    }),

    defineAction({
      id: 'syncro.tickets.get',
      label: 'Read a Syncro ticket',
      description: 'One ticket with its comments.',
      sideEffectful: false,
      clientScoped: false,
      input: syncroTicketsGetInput,
      output: syncroTicketsGetOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const ticket = await guarded(run, api, { doing: 'read the ticket', permission: syncroActionPermissions.ticketDetails, ticketId: input.ticketId }, () => api.ticket(run.call, input.ticketId));
        const comments = (ticket.comments ?? []).map((c) => ({
          id: String(c.id),
          subject: c.subject ?? null,
          body: c.body ?? null,
          hidden: c.hidden ?? false,
          tech: c.tech ?? null,
          createdAt: c.created_at ?? null,
        }));
        const summary = ticketSummary(run, ticket);
        // The ticket as a link shows it: ticket links made by hand and their refresh read it here.
        return { output: { ticket: { ...summary, comments } }, ticket: externalTicket(summary) };
      },
    }),
  ];
}
