import { z } from 'zod';
import { organizationSchema, type Organization } from '../../../shared/integrations/discovery.js';
import { markRunning, recordProgress, requeueRun, type DiscoveryRunRow } from '../../db/discoveryRuns.js';
import { withPartner } from '../../db/pool.js';
import type { AppDeps } from '../../deps.js';
import { VendorError } from '../../integrations/http/errors.js';
import { withInteraction } from '../../integrations/http/interactionScope.js';
import { commonHealth } from '../../integrations/http/healthMapping.js';
import { OrganizationsError, type OrganizationPage, type PluginContext } from '../../integrations/types.js';
import type { JobContext } from '../../jobs/engine.js';
import { readConfig } from '../integrations/lookup.js';
import { oauthFor, pluginConfig } from '../integrations/pluginConfig.js';
import { pluginSettings } from '../integrations/settings.js';
import { uniqueOrganizations } from './diff.js';
import { recordFailure, recordSuccess } from './outcome.js';
import type { DiscoveryJob } from './queue.js';

/** Bounds on one walk, so a vendor (or plugin) that pages forever cannot fill memory. */
export const discoveryLimits = { maxPages: 5_000, maxOrganizations: 100_000 };

const pageSchema = z.array(organizationSchema);

/** Why a walk failed, in words for the partner (the vendor's message kept by the plugin or the client). */
function failureMessage(error: unknown, vendor: string, deps: AppDeps): string {
  if (error instanceof OrganizationsError) return error.message;
  if (error instanceof VendorError) return commonHealth(error, vendor).message ?? `${vendor} discovery failed`;
  deps.log.error({ vendor, errorType: error instanceof Error ? error.name : typeof error }, 'discovery failed unexpectedly');
  return `${vendor} discovery failed unexpectedly`;
}

class GivenUp extends Error {}

/**
 * Works one discovery job: claims the run, walks the plugin's pages outside any transaction
 * (progress and heartbeat written after each), then swaps the snapshot in one transaction
 * (outcome.ts). A vendor failure ends the run as failed with the reason and leaves the previous
 * snapshot as it was. When the instance stops mid-walk the run goes back to queued and the job
 * throws, so pg-boss retries it (here after a restart, or on another instance).
 */
export async function runDiscovery(deps: AppDeps, job: DiscoveryJob, jobCtx: JobContext): Promise<void> {
  const { partnerId, runId, key } = job;
  const run = await withPartner(deps.db, partnerId, (tx) => markRunning(tx, partnerId, runId));
  if (!run) return; // finished, or given up as stale, before this attempt
  const fail = (message: string, progress?: { pages: number; seen: number }) =>
    withPartner(deps.db, partnerId, (tx) => recordFailure(tx, run, message, progress)).then(() => undefined);

  const integration = deps.registry.get(key);
  const list = integration?.plugin.listOrganizations;
  if (!integration || !list) return fail('This integration cannot list organizations on this server');
  const config = await readConfig(deps.db, partnerId, key);
  if (!config) return fail('The integration was removed before its discovery ran');
  let settings;
  try {
    settings = pluginSettings(deps.secrets, integration, partnerId, config.settings);
  } catch {
    return fail('The stored credentials could not be decrypted on this server');
  }
  const ctx: PluginContext = { partnerId, settings, config: pluginConfig(deps.config), log: deps.log, signal: jobCtx.signal, ...oauthFor(deps, integration, partnerId, settings) };
  const vendor = integration.entry.provider;

  const pages: Organization[][] = [];
  const progress = { pages: 0, seen: 0 };
  try {
    // Each page's vendor calls (MSP360's login included) go to the interaction log as `discovery`.
    const scope = { partnerId, integrationKey: key, kind: 'discovery', actionId: 'discovery', userId: run.requestedBy, recorder: deps.interactionLog } as const;
    await walk(deps, run, (cursor) => withInteraction(scope, () => list(ctx, cursor)), { pages, progress });
  } catch (error) {
    if (error instanceof GivenUp) return;
    if (jobCtx.signal.aborted) {
      await withPartner(deps.db, partnerId, (tx) => requeueRun(tx, partnerId, runId));
      throw new Error('discovery interrupted: the instance is stopping or the attempt ran out of time');
    }
    return fail(failureMessage(error, vendor, deps), progress);
  }
  await withPartner(deps.db, partnerId, (tx) => recordSuccess(tx, run, uniqueOrganizations(pages), progress.pages));
}

/** Follows the cursor to the last page, checking each page and recording progress. */
async function walk(
  deps: AppDeps,
  run: DiscoveryRunRow,
  next: (cursor: string | null) => Promise<OrganizationPage>,
  into: { pages: Organization[][]; progress: { pages: number; seen: number } },
): Promise<void> {
  const { partnerId, id: runId } = run;
  let cursor: string | null = null;
  do {
    const page = await next(cursor);
    const items = pageSchema.safeParse(page.items);
    if (!items.success) throw new OrganizationsError('The vendor sent an organization without an id or a name; nothing was stored');
    into.pages.push(items.data);
    into.progress.pages = Math.max(into.progress.pages + 1, page.pagesDone ?? 0);
    into.progress.seen += items.data.length;
    if (into.progress.pages > discoveryLimits.maxPages || into.progress.seen > discoveryLimits.maxOrganizations) {
      throw new OrganizationsError(`More than ${discoveryLimits.maxOrganizations.toLocaleString('en')} organizations or ${discoveryLimits.maxPages.toLocaleString('en')} pages: discovery stopped`);
    }
    const totalPages = page.totalPages ?? null;
    const still = await withPartner(deps.db, partnerId, (tx) =>
      recordProgress(tx, partnerId, runId, { pagesDone: into.progress.pages, totalPages, seen: into.progress.seen }),
    );
    if (!still) throw new GivenUp();
    cursor = page.nextCursor;
  } while (cursor !== null);
}
