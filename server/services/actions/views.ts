import type { ActionRunResult, TicketLink } from '../../../shared/actions.js';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import type { ActionRunRow, StoredRunError } from '../../db/actionRuns.js';
import type { TicketLinkRow } from '../../db/ticketLinks.js';

export function toTicketLink(row: TicketLinkRow): TicketLink {
  return {
    id: row.id,
    clientId: row.clientId,
    integrationKey: row.integrationKey,
    ticketId: row.ticketId,
    number: row.number,
    subject: row.subject,
    status: row.status,
    url: row.url,
    linkType: row.linkType,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    refreshedAt: row.refreshedAt.toISOString(),
  };
}

/** A stored run as the API answers it. */
export function runResult(row: ActionRunRow, link: TicketLinkRow | undefined, replayed: boolean): ActionRunResult {
  return {
    runId: row.id,
    actionId: row.actionId,
    status: row.status === 'succeeded' ? 'succeeded' : 'failed',
    ...(row.status === 'succeeded' ? { output: row.output } : {}),
    ...(row.error ? { error: { code: row.error.code, message: row.error.message } } : {}),
    replayed,
    startedAt: row.startedAt.toISOString(),
    finishedAt: (row.finishedAt ?? new Date()).toISOString(),
    ...(link ? { ticketLink: toTicketLink(link) } : {}),
  };
}

const errorCodeOf = (code: string): ErrorCode =>
  (['VENDOR_ERROR', 'VALIDATION_FAILED', 'CONFLICT', 'NOT_FOUND', 'FORBIDDEN', 'RATE_LIMITED', 'UNAVAILABLE', 'BAD_REQUEST'] as const).find((c) => c === code) ?? 'VENDOR_ERROR';

/**
 * A failed run is answered as an error (the first time and on every replay alike): the code it
 * first had (VENDOR_ERROR 502 for the vendor's refusal), the message, field messages when the
 * vendor refused a field, and the run result in `details` so callers can show and keep it.
 */
export function failedRunError(error: StoredRunError, result: ActionRunResult): AppError {
  return new AppError(errorCodeOf(error.appCode), error.message, { details: result, ...(error.fields ? { fields: error.fields } : {}) });
}
