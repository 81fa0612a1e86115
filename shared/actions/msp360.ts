import { z } from 'zod';

/**
 * Inputs and outputs of MSP360 Managed Backup's actions (issue 15), computed from
 * `GET /api/Companies` and `GET /api/Monitoring` (vendor-apis.md §2). The specification's
 * `/v2/reports` is not an MSP360 endpoint: the backup summary is ours, from Monitoring rows.
 */

const clientId = z.coerce.number('Client id must be a number').int().positive('Client id must be a positive number');
const isoDate = z.iso.date('A date is written YYYY-MM-DD');

export const msp360CompanySchema = z.object({ id: z.string(), name: z.string() });

/** One plan's latest run as MSP360's Monitoring reports it. */
export const msp360PlanRunSchema = z.object({
  planId: z.string(),
  planName: z.string(),
  planType: z.string().nullable(),
  companyName: z.string().nullable(),
  computerName: z.string().nullable(),
  userEmail: z.string().nullable(),
  /** Success, Overdue, Error, Running, Unknown, Interrupted, UnexpectedlyClosed, Warning. */
  status: z.string(),
  lastStart: z.string().nullable(),
  nextStart: z.string().nullable(),
  errorMessage: z.string().nullable(),
  dataCopiedBytes: z.number().nullable(),
  duration: z.string().nullable(),
});
export type Msp360PlanRun = z.infer<typeof msp360PlanRunSchema>;

/** `msp360.companies.list`: every company of the account. */
export const msp360CompaniesListInput = z.strictObject({});
export const msp360CompaniesListOutput = z.object({ companies: z.array(msp360CompanySchema) });

/** `msp360.monitoring.status`: latest plan runs of the client's mapped companies. */
export const msp360MonitoringStatusInput = z.strictObject({ clientId });
export const msp360MonitoringStatusOutput = z.object({ plans: z.array(msp360PlanRunSchema) });

/** The backup summary: what `msp360.reports.backup_summary` returns and a ticket report carries. */
export const backupSummarySchema = z.object({
  clientName: z.string().max(500),
  companies: z.array(z.string().max(500)).max(200),
  from: isoDate,
  to: isoDate,
  generatedAt: z.iso.datetime(),
  totals: z.object({
    jobs: z.number().int().min(0),
    successes: z.number().int().min(0),
    failures: z.number().int().min(0),
    dataCopiedBytes: z.number().min(0),
  }),
  plans: z
    .array(
      z.object({
        planName: z.string().max(500),
        computerName: z.string().max(500).nullable(),
        companyName: z.string().max(500).nullable(),
        jobs: z.number().int().min(0),
        successes: z.number().int().min(0),
        failures: z.number().int().min(0),
        dataCopiedBytes: z.number().min(0),
        lastRun: z.object({ status: z.string().max(100), startedAt: z.string().max(100).nullable(), errorMessage: z.string().max(2000).nullable() }).nullable(),
      }),
    )
    .max(2000),
  /** A few plain-text lines to paste into a ticket comment. */
  text: z.string().max(20_000),
});
export type BackupSummary = z.infer<typeof backupSummarySchema>;

/** `msp360.reports.backup_summary`: the client's backups over a date range (default: the last 7 days). */
export const msp360BackupSummaryInput = z
  .strictObject({ clientId, from: isoDate.optional(), to: isoDate.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'From must be on or before To', path: ['from'] });
export const msp360BackupSummaryOutput = backupSummarySchema;
