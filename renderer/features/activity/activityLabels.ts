import type { InteractionOutcome } from '../../../shared/interactions.js';
import type { BadgeTone } from '../../components/Badge.js';

/** What a row says in "What": the action id, or the scheduled work it belonged to. */
export const workLabels: Record<string, string> = { health: 'Health check', discovery: 'Discovery', token: 'Token refresh' };
export const whatLabel = (actionId: string) => workLabels[actionId] ?? actionId;

export const outcomeLabels: Record<InteractionOutcome, string> = { ok: 'OK', vendor_error: 'Vendor error', failed: 'Failed' };
export const outcomeTones: Record<InteractionOutcome, BadgeTone> = { ok: 'ok', vendor_error: 'danger', failed: 'warn' };

/** The time filter: how far back, as the `from` of the query (recomputed when chosen). */
export const timeRanges = { any: 'Any time', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' } as const;
export type TimeRange = keyof typeof timeRanges;
const rangeMs: Record<Exclude<TimeRange, 'any'>, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };
export const fromFor = (range: TimeRange, now: number): string | undefined => (range === 'any' ? undefined : new Date(now - rangeMs[range]).toISOString());

/** Milliseconds as people read them: 84 ms, 2.4 s. */
export const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
