/**
 * The time one health check may take, whatever the vendor does: a signal that aborts when the
 * budget runs out (or the caller's own signal aborts) and the deadline the rate limiter and the
 * retry loop plan against, so neither starts a wait it cannot finish.
 */
export interface Budget {
  signal: AbortSignal;
  /** Epoch ms at which `signal` aborts on its own. */
  deadline: number;
  timeoutMs: number;
}

export function startBudget(parent: AbortSignal, timeoutMs: number, now: number = Date.now()): Budget {
  return { signal: AbortSignal.any([parent, AbortSignal.timeout(timeoutMs)]), deadline: now + timeoutMs, timeoutMs };
}

/** "10 s", "1.5 s": how a timeout reads in a health message. */
export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
