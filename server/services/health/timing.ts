/**
 * When a configuration is checked next. Healthy and degraded ones: one interval after the check,
 * plus up to `jitter` of it, so checks never come closer than the interval and the fleet stays
 * spread over it instead of bunching up. Failing ones back off (×2 per further failure) up to
 * four intervals or an hour, whichever is shorter (never below one interval): they stay Error
 * and visible, and are still looked at at least hourly, so a fix shows up on its own.
 */
export function nextCheckDelayMs(intervalMs: number, consecutiveFailures: number, random: () => number = Math.random, jitter = 0.05): number {
  const cap = backoffCapMs(intervalMs);
  const base = consecutiveFailures > 1 ? Math.min(intervalMs * 2 ** (consecutiveFailures - 1), cap) : intervalMs;
  return Math.round(base * (1 + jitter * random()));
}

/**
 * How long a claim is held before another instance may take the row: longer than any check can
 * take (the plugin time budget, plus waiting for a per-vendor slot), so a live instance never
 * loses a lease it is still working on, while a crashed one's work comes back within minutes.
 */
export function leaseMsFor(pluginTimeoutMs: number): number {
  return Math.max(2 * 60_000, 4 * pluginTimeoutMs);
}

/** The longest planned gap between two checks of one integration (before jitter): the backoff cap. */
export function backoffCapMs(intervalMs: number): number {
  return Math.max(intervalMs, Math.min(4 * intervalMs, 60 * 60_000));
}

/**
 * How long one history point counts for in the time-weighted uptime, at most: twice the backoff
 * cap (2 h at the default 15 min interval). Planned gaps are at most the cap plus 5 % jitter, and
 * late checks (a backlog under load, a lease won back from an instance that died: minutes) still
 * count in full. A longer gap means nobody was checking (every scheduler stopped): the last
 * known state is not stretched over it, that time is unknown and left out of the uptime.
 */
export function maxPointSpanMs(intervalMs: number): number {
  return 2 * backoffCapMs(intervalMs);
}
