import {
  syncroTicketsAddTimeInput,
  syncroTicketsAddTimeOutput,
  syncroTicketsCommentInput,
  syncroTicketsCommentOutput,
} from '../../../../shared/actions/syncro.js';
import { defineAction } from '../../actions.js';
import { syncroActionPermissions } from '../settings.js';
import { externalTicket, guarded, openRun, ticketSummary, type SyncroActionDeps } from './call.js';
import { ticketForWrite } from './ownership.js';

/** The side-effectful ticket actions: a comment, a time entry. Each returns the ticket for a ticket link. */
export function syncroWriteActions(deps: SyncroActionDeps) {
  const { api } = deps;
  return [
    defineAction({
      id: 'syncro.tickets.comment',
      label: 'Comment on a Syncro ticket',
      description: 'Adds a public comment (e-mailed to the customer unless told not to) or a hidden note to the ticket. With a client, the ticket must belong to one of its mapped customers.',
      sideEffectful: true,
      clientScoped: false,
      input: syncroTicketsCommentInput,
      output: syncroTicketsCommentOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const { ticket, customerName } = await ticketForWrite(ctx, run, api, input.ticketId, input.clientId);
        const comment = await guarded(run, api, { doing: 'add the comment', permission: syncroActionPermissions.ticketsEdit, ticketId: input.ticketId }, () =>
          api.comment(run.call, input.ticketId, { subject: input.subject, body: input.body, hidden: input.hidden, do_not_email: input.doNotEmail }),
        );
        const summary = ticketSummary(run, ticket, customerName ?? undefined);
        return {
          output: {
            comment: {
              id: String(comment.id),
              subject: comment.subject ?? input.subject,
              body: comment.body ?? input.body,
              hidden: comment.hidden ?? input.hidden,
              tech: comment.tech ?? null,
              createdAt: comment.created_at ?? null,
            },
            ticket: summary,
          },
          ticket: externalTicket(summary),
        };
      },
    }),

    defineAction({
      id: 'syncro.tickets.add_time',
      label: 'Log time on a Syncro ticket',
      description: "Adds a timer entry (start, minutes, notes) to the ticket, for the API token's user. With a client, the ticket must belong to one of its mapped customers.",
      sideEffectful: true,
      clientScoped: false,
      input: syncroTicketsAddTimeInput,
      output: syncroTicketsAddTimeOutput,
      async run(ctx, input) {
        const run = openRun(ctx, deps);
        const { ticket, customerName } = await ticketForWrite(ctx, run, api, input.ticketId, input.clientId);
        const start = new Date(input.startAt);
        const end = new Date(start.getTime() + input.durationMinutes * 60_000);
        const timer = await guarded(run, api, { doing: 'log time on the ticket', permission: syncroActionPermissions.ticketTimers, ticketId: input.ticketId }, () =>
          api.timerEntry(run.call, input.ticketId, { start_at: start.toISOString(), end_at: end.toISOString(), duration_minutes: input.durationMinutes, notes: input.notes }),
        );
        const summary = ticketSummary(run, ticket, customerName ?? undefined);
        return {
          output: {
            timerEntry: { id: String(timer.id), ticketId: String(timer.ticket_id ?? ticket.id), startAt: timer.start_time ?? start.toISOString(), durationMinutes: input.durationMinutes, notes: timer.notes ?? input.notes },
            ticket: summary,
          },
          ticket: externalTicket(summary),
        };
      },
    }),
  ];
}
