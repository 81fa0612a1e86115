import { z } from 'zod';
import { backupSummarySchema } from './msp360.js';

/**
 * Inputs and outputs of Syncro's actions (issue 15). Paths and bodies: vendor-apis.md §1 (the
 * published swagger). Ids travel as text: Syncro's are numbers, other vendors' are not.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
const ticketId = z.string('Ticket id must be text').trim().regex(/^\d{1,15}$/, 'Ticket id is the number Syncro gives a ticket');

export const syncroCustomerSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  url: z.string().nullable(),
});
export const syncroTicketSummarySchema = z.object({
  id: z.string(),
  number: z.string().nullable(),
  subject: z.string().nullable(),
  status: z.string().nullable(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  url: z.string().nullable(),
});
export type SyncroTicketSummary = z.infer<typeof syncroTicketSummarySchema>;
export const syncroCommentSchema = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  hidden: z.boolean(),
  tech: z.string().nullable(),
  createdAt: z.string().nullable(),
});

/** `syncro.customers.find`: customers whose name or email matches the text (`GET /customers?query=`). */
export const syncroCustomersFindInput = z.strictObject({
  query: z.string('Search text must be text').trim().min(1, 'Type something to search for').max(200, 'Search text must be at most 200 characters'),
});
export const syncroCustomersFindOutput = z.object({ customers: z.array(syncroCustomerSchema), truncated: z.boolean() });

/** `syncro.tickets.find`: tickets of the client's mapped customers, by text and status (`GET /tickets?customer_id=`). */
export const syncroTicketsFindInput = z.strictObject({
  clientId,
  query: z.string('Search text must be text').trim().max(200, 'Search text must be at most 200 characters').optional(),
  /** Syncro's own status words ("New", "In Progress", "Resolved", "Not Closed" …). */
  status: z.string('Status must be text').trim().max(50, 'Status must be at most 50 characters').optional(),
  limit: z.coerce.number('Limit must be a number').int().min(1, 'Limit is at least 1').max(100, 'Limit is at most 100').default(25),
});
export const syncroTicketsFindOutput = z.object({ tickets: z.array(syncroTicketSummarySchema), truncated: z.boolean() });

/** `syncro.tickets.get`: one ticket with its comments (`GET /tickets/{id}`). */
export const syncroTicketsGetInput = z.strictObject({ ticketId });
export const syncroTicketsGetOutput = z.object({ ticket: syncroTicketSummarySchema.extend({ comments: z.array(syncroCommentSchema) }) });

/** `syncro.tickets.comment` (side-effectful): `POST /tickets/{id}/comment`. */
export const syncroTicketsCommentInput = z.strictObject({
  /** The client whose ticket it is: the ticket must belong to one of its mapped customers. */
  clientId: clientId.optional(),
  ticketId,
  subject: z.string('Subject must be text').trim().min(1, 'Subject is required').max(200, 'Subject must be at most 200 characters').default('Update'),
  body: z.string('Comment must be text').trim().min(1, 'Write the comment').max(20_000, 'Comment must be at most 20,000 characters'),
  /** Hidden: a private note for technicians; otherwise public (and e-mailed unless doNotEmail). */
  hidden: z.boolean('Hidden is true or false').default(false),
  doNotEmail: z.boolean('Do not e-mail is true or false').default(false),
});
export const syncroTicketsCommentOutput = z.object({ comment: syncroCommentSchema, ticket: syncroTicketSummarySchema });

/** `syncro.tickets.add_time` (side-effectful): `POST /tickets/{id}/timer_entry`. */
export const syncroTicketsAddTimeInput = z.strictObject({
  clientId: clientId.optional(),
  ticketId,
  startAt: z.iso.datetime({ offset: true, message: 'Start is a date and time' }),
  durationMinutes: z.coerce.number('Minutes must be a number').int().min(1, 'At least 1 minute').max(1440, 'At most 24 hours (1,440 minutes)'),
  notes: z.string('Notes must be text').trim().max(5_000, 'Notes must be at most 5,000 characters').default(''),
});
export const syncroTicketsAddTimeOutput = z.object({
  timerEntry: z.object({ id: z.string(), ticketId: z.string(), startAt: z.string().nullable(), durationMinutes: z.number().nullable(), notes: z.string().nullable() }),
  ticket: syncroTicketSummarySchema,
});

/**
 * `syncro.tickets.attach_report` (side-effectful): `POST /tickets/{id}/attach_file_url`. The
 * server renders the report (CSV and printable HTML) and serves each file at a signed,
 * single-use URL that expires in 15 minutes under PUBLIC_BASE_URL; Syncro fetches it.
 */
export const reportFormats = ['csv', 'html'] as const;
export const syncroTicketsAttachReportInput = z.strictObject({
  clientId: clientId.optional(),
  ticketId,
  /** The output of `msp360.reports.backup_summary`, as the caller received it. */
  report: backupSummarySchema,
  formats: z.array(z.enum(reportFormats)).min(1, 'Pick at least one format').default(['csv', 'html']),
});
export const syncroTicketsAttachReportOutput = z.object({
  files: z.array(z.object({ filename: z.string(), format: z.enum(reportFormats), bytes: z.number().int() })),
  ticket: syncroTicketSummarySchema,
});
