import { z } from 'zod';
import { integrationKeySchema } from './catalog.js';
import { integrationKeyParamSchema } from './api.js';

/**
 * Discovery (issue 14, item 2): the server walks an integration's organizations (Syncro
 * customers, MSP360 companies …) in a background job and keeps the latest list per partner as a
 * snapshot, with what changed since the one before. As everywhere, no input names the caller's
 * partner: it comes from the token; only the dev partner's reads name one.
 */

/** One external organization as a plugin reports it: the vendor's id, its name, a link to it. */
export const organizationSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  url: z.string().max(2000).optional(),
});
export type Organization = z.infer<typeof organizationSchema>;

/** queued → running → succeeded | failed. */
export const discoveryRunStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export const discoveryRunStatusSchema = z.enum(discoveryRunStatuses);
export type DiscoveryRunStatus = z.infer<typeof discoveryRunStatusSchema>;

/** How an organization of the latest snapshot compares with the snapshot before it. */
export const organizationChanges = ['new', 'renamed', 'unchanged', 'gone'] as const;
export const organizationChangeSchema = z.enum(organizationChanges);
export type OrganizationChange = z.infer<typeof organizationChangeSchema>;

/** What a finished run found: organizations now, and new / renamed / gone against the previous snapshot. */
export const discoveryCountsSchema = z.object({
  organizations: z.number().int().min(0),
  new: z.number().int().min(0),
  renamed: z.number().int().min(0),
  gone: z.number().int().min(0),
});
export type DiscoveryCounts = z.infer<typeof discoveryCountsSchema>;

export const discoveryRunSchema = z.object({
  id: z.number().int().positive(),
  integrationKey: integrationKeySchema,
  status: discoveryRunStatusSchema,
  /** Who asked for it (an email, or "system"). */
  requestedBy: z.string(),
  /** Progress while it runs: pages read so far, and of how many when the vendor says. */
  pagesDone: z.number().int().min(0),
  totalPages: z.number().int().min(0).nullable(),
  /** Organizations read so far. */
  organizationsSeen: z.number().int().min(0),
  /** Set when it succeeded. */
  counts: discoveryCountsSchema.nullable(),
  /** Why it failed, with the vendor's own message when it sent one. */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type DiscoveryRun = z.infer<typeof discoveryRunSchema>;

export const startDiscoveryInputSchema = z.strictObject({ key: integrationKeyParamSchema });
export type StartDiscoveryInput = z.infer<typeof startDiscoveryInputSchema>;

export const startDiscoveryOutputSchema = z.object({
  run: discoveryRunSchema,
  /** False when a run of this integration was already queued or running: that one is returned. */
  started: z.boolean(),
});
export type StartDiscoveryOutput = z.infer<typeof startDiscoveryOutputSchema>;

/** A whole number that may arrive as a query-string text (`?limit=20`). */
const wholeNumber = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(/^[0-9]{1,16}$/, 'Must be a whole number').transform(Number)])
    .pipe(z.number().int('Must be a whole number').min(min).max(max));

export const discoveryRunInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** A run of this integration; default: the newest. */
  runId: wholeNumber(1, Number.MAX_SAFE_INTEGER).optional(),
});
export type DiscoveryRunInput = z.input<typeof discoveryRunInputSchema>;

/** The newest run, or null when discovery never ran for this integration. */
export const discoveryRunOutputSchema = z.object({ run: discoveryRunSchema.nullable() });
export type DiscoveryRunOutput = z.infer<typeof discoveryRunOutputSchema>;

/** Snapshot cursors are opaque to clients: pass back `nextCursor` to get the following page. */
export const snapshotCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,2000}$/, 'Not a cursor from a previous page');

export const maxSnapshotPage = 500;

export const snapshotInputSchema = z.strictObject({
  key: integrationKeyParamSchema,
  /** Only organizations with this change; `gone` lists those missing since the previous snapshot. Default: every present one. */
  change: organizationChangeSchema.optional(),
  /** Case-insensitive text in the name. */
  q: z.string().trim().max(200).optional(),
  limit: wholeNumber(1, maxSnapshotPage).optional(),
  cursor: snapshotCursorSchema.optional(),
});
export type SnapshotInput = z.input<typeof snapshotInputSchema>;
export type SnapshotQuery = z.output<typeof snapshotInputSchema>;

export const snapshotOrganizationSchema = organizationSchema.extend({
  change: organizationChangeSchema,
  /** The name in the previous snapshot, for `renamed`. */
  previousName: z.string().nullable(),
});
export type SnapshotOrganization = z.infer<typeof snapshotOrganizationSchema>;

export const snapshotPageSchema = z.object({
  /** Null until a discovery of this integration succeeded; then everything below describes it. */
  snapshot: z
    .object({
      runId: z.number().int().positive(),
      takenAt: z.iso.datetime(),
      /** When the snapshot it was compared with was taken (null for the first). */
      previousTakenAt: z.iso.datetime().nullable(),
      counts: discoveryCountsSchema,
    })
    .nullable(),
  items: z.array(snapshotOrganizationSchema),
  nextCursor: snapshotCursorSchema.nullable(),
});
export type SnapshotPage = z.infer<typeof snapshotPageSchema>;

const partnerIdParam = wholeNumber(1, Number.MAX_SAFE_INTEGER);
export const devDiscoveryRunInputSchema = discoveryRunInputSchema.extend({ partnerId: partnerIdParam });
export const devSnapshotInputSchema = snapshotInputSchema.extend({ partnerId: partnerIdParam });
