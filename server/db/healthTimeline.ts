import type { Queryable } from './pool.js';

/** One integration whose timeline is wanted. */
export interface TimelineTarget {
  partnerId: number;
  key: string;
}

/** A run of consecutive checks with the same health, over the time they stand for. */
export interface KnownSegment {
  from: Date;
  to: Date;
  health: 'ok' | 'degraded' | 'error';
}

export interface RawTimeline {
  /** Whether a check was made at or before the range's start (the data covers the whole range). */
  checkedBefore: boolean;
  /** The first check inside the range, if any. */
  firstCheck: Date | null;
  /** Known time only, oldest first; the gaps between them are unknown. */
  segments: KnownSegment[];
}

interface SegmentRow {
  partnerId: number;
  key: string;
  checkedBefore: boolean;
  firstCheck: Date | null;
  health: KnownSegment['health'] | null;
  fromAt: Date | null;
  toAt: Date | null;
}

/**
 * The health timelines of several integrations over [from, until], in one statement: each check
 * stands for the time until the next one, at most `maxSpanMs` (after that nobody was checking and
 * the state is unknown), the last one until `until`; the check just before `from` covers the
 * range's start. Consecutive spans of the same health that touch are merged (gaps-and-islands),
 * so what comes back is a row per state change, not per check: cheap enough for a fleet page.
 * Callers pass targets of their own partner (or read as the dev partner, whom RLS lets read all).
 */
export async function listHealthTimelines(
  db: Queryable,
  input: { targets: readonly TimelineTarget[]; from: Date; until: Date; maxSpanMs: number },
): Promise<Map<string, RawTimeline>> {
  const timelines = new Map<string, RawTimeline>();
  if (input.targets.length === 0) return timelines;
  const { rows } = await db.query<SegmentRow>(
    `WITH targets AS (
       SELECT DISTINCT * FROM unnest($1::int[], $2::text[]) AS t(partner_id, integration_key)
     ), points AS (
       SELECT t.partner_id, t.integration_key, p.id, p.checked_at, p.health, p.checked_at <= $3 AS before
         FROM targets t
         CROSS JOIN LATERAL (
           (SELECT id, checked_at, health FROM integration_health_history h
             WHERE h.partner_id = t.partner_id AND h.integration_key = t.integration_key AND h.checked_at <= $3
             ORDER BY checked_at DESC, id DESC LIMIT 1)
           UNION ALL
           (SELECT id, checked_at, health FROM integration_health_history h
             WHERE h.partner_id = t.partner_id AND h.integration_key = t.integration_key AND h.checked_at > $3 AND h.checked_at <= $4)
         ) p
     ), spans AS (
       -- LEAST ignores NULL: the last check runs until the end (or its cap).
       SELECT partner_id, integration_key, id, health, greatest(checked_at, $3) AS from_at,
              least(lead(checked_at) OVER w, checked_at + make_interval(secs => $5::double precision / 1000), $4) AS to_at
         FROM points
       WINDOW w AS (PARTITION BY partner_id, integration_key ORDER BY checked_at, id)
     ), kept AS (
       -- A check before the range whose span ends before it covers nothing of the range.
       SELECT * FROM spans WHERE to_at >= from_at
     ), starts AS (
       SELECT *, CASE WHEN health = lag(health) OVER w AND from_at <= lag(to_at) OVER w THEN 0 ELSE 1 END AS starts_run
         FROM kept
       WINDOW w AS (PARTITION BY partner_id, integration_key ORDER BY from_at, id)
     ), runs AS (
       SELECT partner_id, integration_key, health, from_at, to_at,
              sum(starts_run) OVER (PARTITION BY partner_id, integration_key ORDER BY from_at, id) AS run
         FROM starts
     ), segments AS (
       SELECT partner_id, integration_key, health, min(from_at) AS from_at, max(to_at) AS to_at
         FROM runs GROUP BY partner_id, integration_key, run, health
     ), coverage AS (
       SELECT partner_id, integration_key, bool_or(before) AS checked_before, min(checked_at) FILTER (WHERE NOT before) AS first_check
         FROM points GROUP BY partner_id, integration_key
     )
     SELECT c.partner_id AS "partnerId", c.integration_key AS "key", c.checked_before AS "checkedBefore", c.first_check AS "firstCheck",
            s.health, s.from_at AS "fromAt", s.to_at AS "toAt"
       FROM coverage c LEFT JOIN segments s USING (partner_id, integration_key)
      ORDER BY c.partner_id, c.integration_key, s.from_at`,
    [input.targets.map((t) => t.partnerId), input.targets.map((t) => t.key), input.from, input.until, input.maxSpanMs],
  );
  for (const row of rows) {
    const id = timelineId(row);
    let timeline = timelines.get(id);
    if (!timeline) timelines.set(id, (timeline = { checkedBefore: row.checkedBefore, firstCheck: row.firstCheck, segments: [] }));
    if (row.health && row.fromAt && row.toAt) timeline.segments.push({ from: row.fromAt, to: row.toAt, health: row.health });
  }
  return timelines;
}

/** The map key of one target's timeline. */
export const timelineId = (target: TimelineTarget): string => `${target.partnerId}:${target.key}`;
