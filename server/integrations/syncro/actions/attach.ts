import { syncroTicketsAttachReportInput, syncroTicketsAttachReportOutput } from '../../../../shared/actions/syncro.js';
import { renderBackupSummary } from '../../../services/reports/files.js';
import { defineAction } from '../../actions.js';
import { syncroActionPermissions } from '../settings.js';
import { externalTicket, guarded, openRun, ticketSummary, type SyncroActionDeps } from './call.js';
import { ticketForWrite } from './ownership.js';

/**
 * `syncro.tickets.attach_report`: Syncro's attach_file_url takes URLs and downloads them itself
 * (vendor-apis.md §1), so the report is rendered here (CSV and a printable HTML page), each file
 * published at a signed, single-use URL under PUBLIC_BASE_URL that expires in 15 minutes, and
 * those URLs handed to Syncro. Syncro answers "Processing" and fetches later: the answer says the
 * files were handed over, not that Syncro stored them. Without PUBLIC_BASE_URL the action is
 * unavailable and says what to set.
 */
export function syncroAttachAction(deps: SyncroActionDeps) {
  const { api } = deps;
  return defineAction({
    id: 'syncro.tickets.attach_report',
    label: 'Attach a backup report to a Syncro ticket',
    description:
      'Renders the MSP360 backup summary as CSV and a printable HTML page and attaches them to the ticket; Syncro downloads each file once from a link of this server that expires in 15 minutes.',
    sideEffectful: true,
    clientScoped: false,
    input: syncroTicketsAttachReportInput,
    output: syncroTicketsAttachReportOutput,
    availability(ctx) {
      if (ctx.hasPublicBaseUrl) return null;
      return {
        code: 'needs_public_url',
        message: 'Attaching a report needs the server setting PUBLIC_BASE_URL: the https address of this server that Syncro can reach to download the file.',
      };
    },
    async run(ctx, input) {
      const run = openRun(ctx, deps);
      const { ticket, customerName } = await ticketForWrite(ctx, run, api, input.ticketId, input.clientId);
      const files = renderBackupSummary(input.report, input.formats);
      const published: { url: string; filename: string }[] = [];
      for (const file of files) {
        const { url } = await ctx.publishFile({ filename: file.filename, contentType: file.contentType, body: file.body });
        published.push({ url, filename: file.filename });
      }
      await guarded(run, api, { doing: 'attach the report', permission: syncroActionPermissions.ticketsEdit, ticketId: input.ticketId }, () =>
        api.attachFileUrls(run.call, input.ticketId, published),
      );
      const summary = ticketSummary(run, ticket, customerName ?? undefined);
      return {
        output: { files: files.map((f) => ({ filename: f.filename, format: f.format, bytes: f.body.length })), ticket: summary },
        ticket: externalTicket(summary),
      };
    },
  });
}
