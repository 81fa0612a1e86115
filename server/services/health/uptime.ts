import type { HealthRange, HealthSegment, Uptime } from '../../../shared/integrations/health.js';
import type { RawTimeline } from '../../db/healthTimeline.js';

const percent = (part: number, whole: number) => Math.round((part / whole) * 10_000) / 100;

/**
 * THE uptime rule (SPEC-005, issue 22 §3): the detail's number, its bar and the fleet's cell all
 * come from here. The share of the checked time that the integration was working (Ok or
 * Degraded), counted from where its data starts: the range's start when it was checked before
 * then, else its first check ("since first check"), so a new integration is not scored on time
 * before it existed. Time no check covers (nobody was checking) is `unknown` and left out.
 * A lone check made just now covers no time yet and reads as its own health (100 or 0).
 */
export function summariseUptime(input: { range: HealthRange; from: Date; until: Date; timeline: RawTimeline | undefined }): Uptime {
  const { range, from, until, timeline } = input;
  const base = { range, from: from.toISOString(), until: until.toISOString() };
  const coveredFrom = !timeline ? null : timeline.checkedBefore ? from : timeline.firstCheck;
  if (!timeline || !coveredFrom) return { ...base, coveredFrom: null, full: false, percent: null, segments: [] };

  const segments: HealthSegment[] = [];
  let cursor = coveredFrom.getTime();
  let upMs = 0;
  let knownMs = 0;
  for (const s of timeline.segments) {
    const start = s.from.getTime();
    const end = s.to.getTime();
    if (start > cursor) segments.push({ from: new Date(cursor).toISOString(), to: s.from.toISOString(), health: 'unknown' });
    segments.push({ from: s.from.toISOString(), to: s.to.toISOString(), health: s.health });
    knownMs += end - start;
    if (s.health !== 'error') upMs += end - start;
    cursor = Math.max(cursor, end);
  }
  if (cursor < until.getTime()) segments.push({ from: new Date(cursor).toISOString(), to: until.toISOString(), health: 'unknown' });

  const last = timeline.segments.at(-1);
  const value = knownMs > 0 ? percent(upMs, knownMs) : last ? (last.health === 'error' ? 0 : 100) : null;
  return { ...base, coveredFrom: coveredFrom.toISOString(), full: timeline.checkedBefore, percent: value, segments };
}
