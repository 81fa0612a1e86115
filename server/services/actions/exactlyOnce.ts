import type { ActionRunResult, TicketLinkType } from '../../../shared/actions.js';
import { AppError } from '../../../shared/errors.js';
import { claimRun, finishRun, hasLiveRun, lockRun, reclaimExpiredRun, type ActionRunRow, type NewRun, type StoredRunError } from '../../db/actionRuns.js';
import { findClient } from '../../db/clients.js';
import { withPartner } from '../../db/pool.js';
import { findTicketLink, upsertTicketLink, type TicketLinkRow } from '../../db/ticketLinks.js';
import type { AppDeps } from '../../deps.js';
import type { Principal } from '../principal.js';
import type { Invocation } from './invoke.js';
import { failedRunError, runResult } from './views.js';

/**
 * Exactly once per idempotency key and partner (docs/actions.md). The key is claimed with one
 * INSERT … ON CONFLICT DO NOTHING before the vendor is called; whoever finds the row instead
 * (another request, another instance, a retry after a restart) never calls the vendor:
 * - another action or input under the key → 409;
 * - still running with a live lease → 409 "in progress" with retryAfterSeconds;
 * - running with an expired lease (its instance died mid-call) → the outcome is unknown: the
 *   row is marked failed `outcome_unknown` and the vendor is NOT called again for the key;
 * - finished → the stored result, `replayed: true` (a failure answers as the same error).
 */

export const outcomeUnknownMessage =
  'The server handling this request stopped before the vendor answered, so whether it was done is unknown. Check the ticket at the vendor before trying again (as a new request).';

/** How long past the run's time budget a claim stays "in progress" before it counts as abandoned. */
const leaseMarginMs = 30_000;

export type Claim = { kind: 'claimed'; runId: number } | { kind: 'replay'; answer: () => ActionRunResult };

async function replay(row: ActionRunRow, link: TicketLinkRow | undefined): Promise<Claim> {
  const result = runResult(row, link, true);
  return {
    kind: 'replay',
    answer: () => {
      if (row.status === 'failed' && row.error) throw failedRunError(row.error, result);
      return result;
    },
  };
}

/**
 * Whether the key already has a live record for this partner. A retry of a request that already
 * ran (its answer lost) must get that answer even when the integration has since become
 * unavailable, so availability is judged only for keys that have none.
 */
export function keyInUse(deps: AppDeps, partnerId: number, idempotencyKey: string): Promise<boolean> {
  return withPartner(deps.db, partnerId, (tx) => hasLiveRun(tx, partnerId, idempotencyKey));
}

export async function claimOrReplay(deps: AppDeps, principal: Principal, request: Omit<NewRun, 'userId' | 'leaseMs' | 'ttlMs'>): Promise<Claim> {
  const { partnerId } = principal;
  const run: NewRun = { ...request, userId: principal.userId, leaseMs: deps.config.actions.timeoutMs + leaseMarginMs, ttlMs: deps.config.actions.resultTtlMs };
  return withPartner(deps.db, partnerId, async (tx) => {
    const claimed = await claimRun(tx, partnerId, run);
    if (claimed) return { kind: 'claimed', runId: claimed.id };
    // The insert waited for any concurrent claimer to commit, so the row is there (or was pruned
    // in between: then the next attempt claims it).
    const row = await lockRun(tx, partnerId, run.idempotencyKey);
    if (!row) throw new AppError('CONFLICT', 'This request is being handled; try again in a moment', { retryAfterSeconds: 1 });
    if (row.expired && row.status !== 'running') return { kind: 'claimed', runId: (await reclaimExpiredRun(tx, partnerId, row.id, run)).id };
    if (row.actionId !== run.actionId || row.inputHash !== run.inputHash) {
      throw new AppError('CONFLICT', 'This idempotency key was used for a different request', { details: { reason: 'idempotency_key_reused' } });
    }
    if (row.status === 'running' && row.leaseSecondsLeft > 0) {
      throw new AppError('CONFLICT', 'This request is in progress; its result will be here shortly', {
        details: { reason: 'in_progress', runId: row.id },
        retryAfterSeconds: Math.max(1, Math.min(30, Math.ceil(row.leaseSecondsLeft))),
      });
    }
    if (row.status === 'running') {
      const error: StoredRunError = { code: 'outcome_unknown', appCode: 'CONFLICT', message: outcomeUnknownMessage };
      const marked = (await finishRun(tx, partnerId, row.id, { status: 'failed', error })) as ActionRunRow;
      deps.log.warn({ partnerId, actionId: row.actionId, runId: row.id }, 'action run abandoned mid-call: outcome unknown');
      return replay(marked, undefined);
    }
    return replay(row, row.ticketLinkId === null ? undefined : await findTicketLink(tx, partnerId, row.ticketLinkId));
  });
}

/**
 * Stores how the run ended and, for a success that reported a ticket when a link was asked for,
 * the client's ticket link, in ONE transaction: a retry never sees the result without its link.
 */
export async function recordOutcome(
  deps: AppDeps,
  principal: Principal,
  runId: number,
  integrationKey: string,
  outcome: Invocation,
  link: { clientId: number; linkType: TicketLinkType } | undefined,
): Promise<{ result: ActionRunResult; error?: StoredRunError }> {
  const { partnerId } = principal;
  return withPartner(deps.db, partnerId, async (tx) => {
    let linkRow: TicketLinkRow | undefined;
    if (outcome.ok && outcome.ticket && link && (await findClient(tx, partnerId, link.clientId))) {
      const t = outcome.ticket;
      linkRow = await upsertTicketLink(tx, partnerId, {
        clientId: link.clientId,
        integrationKey,
        ticketId: t.ticketId,
        number: t.number,
        subject: t.subject,
        status: t.status,
        url: t.url,
        linkType: link.linkType,
        createdBy: principal.userId,
      });
    }
    const row = await finishRun(
      tx,
      partnerId,
      runId,
      outcome.ok ? { status: 'succeeded', output: outcome.output, ticketLinkId: linkRow?.id ?? null } : { status: 'failed', error: outcome.error },
    );
    if (!row) throw new Error('action run row vanished while it ran');
    return { result: runResult(row, linkRow, false), ...(outcome.ok ? {} : { error: outcome.error }) };
  });
}
