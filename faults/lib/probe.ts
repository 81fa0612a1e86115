/** One request a scenario's client made, and how it ended. */
export interface ProbeResult {
  label: string;
  startedAt: number;
  ms: number;
  /** HTTP status, or 0 when no answer came (timeout, connection refused or reset). */
  status: number;
  retryAfter: string | null;
  /** The error code in the API's error shape (REST `error.code`, tRPC `error.data.error.code`), if any. */
  errorCode: string | null;
  /** Why no answer came. */
  failure?: 'timeout' | 'network';
  body: string;
}

/**
 * A client request with a deadline of its own, timed. Never throws: a hang shows as
 * `failure: 'timeout'` after `timeoutMs`, a refused or dropped connection as `'network'`.
 */
export async function probe(
  url: string,
  options: { label: string; method?: string; token?: string; body?: unknown; timeoutMs?: number },
): Promise<ProbeResult> {
  const startedAt = Date.now();
  const t0 = performance.now();
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const base = { label: options.label, startedAt, retryAfter: null, errorCode: null };
  try {
    const res = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    const body = await res.text();
    return { ...base, ms: performance.now() - t0, status: res.status, retryAfter: res.headers.get('retry-after'), errorCode: errorCodeOf(body), body };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { ...base, ms: performance.now() - t0, status: 0, failure: timedOut ? 'timeout' : 'network', body: String(error) };
  }
}

/** The error code of a body in the API's error shape (REST or tRPC), or null. */
export function errorCodeOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; data?: { error?: { code?: unknown } } } };
    const code = parsed.error?.data?.error?.code ?? parsed.error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** The p-th percentile (0–100) of `values` (nearest rank); 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}
